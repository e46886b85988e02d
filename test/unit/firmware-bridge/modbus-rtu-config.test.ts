import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../../firmware-bridge/config/load.js';
import { createDrivers } from '../../../firmware-bridge/drivers/index.js';
import { defaultInterFrameDelayMs } from '../../../firmware-bridge/drivers/modbus-rtu/modbus-bus.js';
import type { ConfigError } from '../../../firmware-bridge/errors.js';

const sensor = (id: string, driver: Record<string, unknown>) => ({
  id,
  quantity: 'temperature',
  unit: 'Cel',
  intervalMs: 60_000,
  driver: {
    type: 'modbus-rtu',
    port: 'rs485',
    unitId: 1,
    function: 3,
    address: 0,
    dataType: 'int16',
    ...driver,
  },
});

function config(sensors: unknown[], protocol: Record<string, unknown> = { type: 'modbus-rtu' }) {
  return {
    station: 'jinfo',
    gateway: 'met-gw-1',
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    outbox: { dir: '/tmp/outbox' },
    serialPorts: [
      { id: 'rs485', path: '/dev/ttyUSB0', baudRate: 19200, parity: 'even', protocol },
      { id: 'kv', path: '/dev/ttyUSB1', protocol: { type: 'kv' } },
    ],
    sensors,
  };
}

function issues(document: unknown): string[] {
  try {
    parseGatewayConfig(document, 'gw.yaml');
  } catch (error) {
    return (error as ConfigError).issues as string[];
  }
  return [];
}

describe('modbus-rtu config', () => {
  it('fills in the defaults and builds one driver per bus', async () => {
    const parsed = parseGatewayConfig(
      config([
        sensor('air-t', { dataType: 'int16', scale: 0.1 }),
        sensor('flow', { unitId: 2, function: 4, address: 100, dataType: 'float32', wordOrder: 'little' }),
      ]),
      'gw.yaml',
    );
    expect(parsed.serialPorts[0]?.protocol).toEqual({
      type: 'modbus-rtu',
      timeoutMs: 1000,
      retries: 1,
      maxRegistersPerRead: 32,
    });
    expect(parsed.sensors[0]?.driver).toEqual({
      type: 'modbus-rtu',
      port: 'rs485',
      unitId: 1,
      function: 3,
      address: 0,
      dataType: 'int16',
      scale: 0.1,
      offset: 0,
    });
    expect(parsed.sensors[1]?.driver).toMatchObject({ dataType: 'float32', wordOrder: 'little', scale: 1 });
    const sink = { sample: () => undefined, error: () => undefined };
    const drivers = await createDrivers(parsed, { sink, logger: pino({ level: 'silent' }) });
    expect(drivers.map((driver) => driver.name)).toEqual(['modbus-rtu:rs485']);
  });

  it('names what is wrong: unit id, function, address, data type, word order, scale', () => {
    const found = issues(
      config([
        sensor('a', { unitId: 0 }),
        sensor('b', { unitId: 248 }),
        sensor('c', { function: 6 }),
        sensor('d', { address: 65_536 }),
        sensor('e', { address: 65_535, dataType: 'uint32' }),
        sensor('f', { dataType: 'int64' }),
        sensor('g', { dataType: 'uint16', wordOrder: 'little' }),
        sensor('h', { scale: 0 }),
      ]),
    );
    expect(found).toEqual([
      'gw.yaml: sensors[0].driver.unitId: Too small: expected number to be >=1',
      'gw.yaml: sensors[1].driver.unitId: Too big: expected number to be <=247',
      'gw.yaml: sensors[2].driver.function: expected 3 (read holding registers) or 4 (read input registers)',
      'gw.yaml: sensors[3].driver.address: Too big: expected number to be <=65535',
      'gw.yaml: sensors[4].driver.address: a uint32 takes 2 registers: expected an address of at most 65534',
      'gw.yaml: sensors[5].driver.dataType: Invalid option: expected one of "int16"|"uint16"|"int32"|"uint32"|"float32"',
      'gw.yaml: sensors[6].driver.wordOrder: wordOrder applies to 32-bit types only; a uint16 is one register',
      'gw.yaml: sensors[7].driver.scale: must not be 0',
    ]);
  });

  it('refuses a modbus-rtu sensor on a port of another protocol, and bad bus settings', () => {
    expect(issues(config([sensor('a', { port: 'kv' })])).join('\n')).toContain(
      'port "kv" speaks kv; a modbus-rtu sensor needs a port with protocol modbus-rtu',
    );
    const bad = issues(
      config([sensor('a', {})], { type: 'modbus-rtu', timeoutMs: 5, maxRegistersPerRead: 126 }),
    );
    expect(bad.join('\n')).toMatch(/timeoutMs/);
    expect(bad.join('\n')).toMatch(/maxRegistersPerRead/);
  });

  it('defaults the inter-frame silence to 3.5 character times', () => {
    expect(defaultInterFrameDelayMs(1200)).toBe(33);
    expect(defaultInterFrameDelayMs(9600)).toBe(5);
    expect(defaultInterFrameDelayMs(19_200)).toBe(3);
    expect(defaultInterFrameDelayMs(115_200)).toBe(2);
  });
});
