import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ModbusSerial from 'modbus-serial';

import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EmulatedUnit, ModbusRtuSlaveEmulator } from '../../../emulators/modbus-rtu/index.js';
import type { RawSample } from '../../../firmware-bridge/drivers/driver.js';
import type { ModbusRtuDriverConfig } from '../../../firmware-bridge/drivers/modbus-rtu/config.js';
import type { ModbusPortConfig } from '../../../firmware-bridge/drivers/modbus-rtu/modbus-bus.js';
import { ModbusRtuDriver } from '../../../firmware-bridge/drivers/modbus-rtu/modbus-rtu-driver.js';
import type { ModbusSensorConfig } from '../../../firmware-bridge/drivers/modbus-rtu/read-plan.js';
import type { SensorError } from '../../../firmware-bridge/errors.js';
import { startPtyPair } from '../../harness/socat.js';
import { startPtyPairAt } from './pty-pair-at.js';

// A CommonJS module whose typings declare an ES default export: `.default` is the client class in both worlds.
const ModbusRTU = ModbusSerial.default;

const logger = pino({ level: process.env.FS_TEST_LOG ?? 'silent' });
const RETRY = { initialDelayMs: 20, maxDelayMs: 80, factor: 2, jitter: 1 };
// The driver's default: a reply through socat's PTY and the emulator can wait hundreds of
// milliseconds for a CPU on a busy machine, and a healthy unit must never time out here.
const REPLY_TIMEOUT_MS = 1000;
// A silent unit costs two tries of REPLY_TIMEOUT_MS per read, and unit 2 has two reads.
const FAULT_SEEN_MS = 20_000;

const VALUES: Record<string, number> = {
  'u1-t': -123,
  'u1-rh': 54_321,
  'u1-e': -100_000,
  'u1-e-le': 123_456,
  'u1-p': 1013.25,
  'u1-w': -3.5,
  'u2-count': 4_000_000_000,
  'u2-flow': 12.5,
};
const channelValue = (channel: string) => VALUES[channel] ?? Number.NaN;

const UNITS: EmulatedUnit[] = [
  {
    unitId: 1,
    registers: [
      { function: 3, address: 0, dataType: 'int16', channel: 'u1-t' },
      { function: 3, address: 1, dataType: 'uint16', channel: 'u1-rh' },
      { function: 3, address: 2, dataType: 'int32', wordOrder: 'big', channel: 'u1-e' },
      { function: 3, address: 4, dataType: 'int32', wordOrder: 'little', channel: 'u1-e-le' },
      { function: 4, address: 0, dataType: 'float32', wordOrder: 'big', channel: 'u1-p' },
      { function: 4, address: 2, dataType: 'float32', wordOrder: 'little', channel: 'u1-w' },
    ],
  },
  {
    unitId: 2,
    registers: [
      { function: 3, address: 100, dataType: 'uint32', channel: 'u2-count' },
      { function: 4, address: 7, dataType: 'float32', wordOrder: 'little', channel: 'u2-flow' },
    ],
  },
];

type Register = Pick<ModbusRtuDriverConfig, 'unitId' | 'function' | 'address' | 'dataType'> &
  Partial<ModbusRtuDriverConfig>;

function sensor(id: string, register: Register): ModbusSensorConfig {
  return {
    id,
    quantity: 'temperature',
    unit: 'Cel',
    intervalMs: 1000,
    driver: { type: 'modbus-rtu', port: 'rs485', scale: 1, offset: 0, ...register },
  };
}

const SENSORS = [
  sensor('air-t', { unitId: 1, function: 3, address: 0, dataType: 'int16', scale: 0.1 }),
  sensor('air-rh', { unitId: 1, function: 3, address: 1, dataType: 'uint16' }),
  sensor('energy', { unitId: 1, function: 3, address: 2, dataType: 'int32', wordOrder: 'big' }),
  sensor('energy-le', { unitId: 1, function: 3, address: 4, dataType: 'int32', wordOrder: 'little' }),
  sensor('pressure', { unitId: 1, function: 4, address: 0, dataType: 'float32', wordOrder: 'big' }),
  sensor('wind', { unitId: 1, function: 4, address: 2, dataType: 'float32', wordOrder: 'little' }),
  sensor('pulses', { unitId: 2, function: 3, address: 100, dataType: 'uint32' }),
  sensor('flow', { unitId: 2, function: 4, address: 7, dataType: 'float32', wordOrder: 'little', offset: 1 }),
];
const UNIT_2 = ['pulses', 'flow'];

describe('ModbusRtuDriver over a PTY with the emulated slaves', () => {
  const samples: RawSample[] = [];
  const errors: SensorError[] = [];
  const sink = { sample: (s: RawSample) => samples.push(s), error: (e: SensorError) => errors.push(e) };
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(() => {
    samples.length = 0;
    errors.length = 0;
  });
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  function driverFor(path: string, sensors: ModbusSensorConfig[] = SENSORS): ModbusRtuDriver {
    const port: ModbusPortConfig = {
      id: 'rs485',
      path,
      baudRate: 19_200,
      dataBits: 8,
      parity: 'even',
      stopBits: 1,
      protocol: { type: 'modbus-rtu', timeoutMs: REPLY_TIMEOUT_MS, retries: 1, maxRegistersPerRead: 32 },
    };
    const driver = new ModbusRtuDriver({ port, sensors, sink, logger, retry: RETRY, intervalScale: 0.1 });
    cleanups.push(() => driver.stop());
    return driver;
  }

  async function emulatorOn(path: string): Promise<ModbusRtuSlaveEmulator> {
    const emulator = new ModbusRtuSlaveEmulator({
      path,
      baudRate: 19_200,
      parity: 'even',
      units: UNITS,
      valueOf: channelValue,
    });
    await emulator.start();
    cleanups.push(() => emulator.stop());
    return emulator;
  }

  async function ptyPair() {
    const pty = await startPtyPair();
    cleanups.push(() => pty.stop());
    return pty;
  }

  const valuesOf = (id: string) => samples.filter((s) => s.sensor === id).map((s) => s.value);
  const codesFor = (id: string) => errors.filter((e) => e.sensors.includes(id)).map((e) => e.code);
  const grows = async (id: string) => {
    const before = valuesOf(id).length;
    await vi.waitFor(() => expect(valuesOf(id).length).toBeGreaterThan(before), { timeout: 5000 });
  };

  it('reads every data type in both word orders from two units, adjacent registers in one request', async () => {
    const pty = await ptyPair();
    const emulator = await emulatorOn(pty.b);
    await driverFor(pty.a).start();
    await vi.waitFor(() => expect(valuesOf('flow').length).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    expect(new Set(valuesOf('air-t'))).toEqual(new Set([-12.3]));
    expect(new Set(valuesOf('air-rh'))).toEqual(new Set([54_321]));
    expect(new Set(valuesOf('energy'))).toEqual(new Set([-100_000]));
    expect(new Set(valuesOf('energy-le'))).toEqual(new Set([123_456]));
    expect(new Set(valuesOf('pressure'))).toEqual(new Set([1013.25]));
    expect(new Set(valuesOf('wind'))).toEqual(new Set([-3.5]));
    expect(new Set(valuesOf('pulses'))).toEqual(new Set([4_000_000_000]));
    expect(new Set(valuesOf('flow'))).toEqual(new Set([13.5]));
    expect(errors).toEqual([]);
    // Four reads per poll: unit 1's holding registers 0-5 and input registers 0-3 each in one request.
    const reads = new Set(
      emulator.requests.map((r) => `${r.unitId}/${r.functionCode}/${r.address}/${r.count}`),
    );
    expect(reads).toEqual(new Set(['1/3/0/6', '1/4/0/4', '2/3/100/2', '2/4/7/2']));
  });

  it('reports a silent, busy, garbled or corrupted unit on its own sensors while the other keeps reporting', async () => {
    const pty = await ptyPair();
    const emulator = await emulatorOn(pty.b);
    await driverFor(pty.a).start();
    await vi.waitFor(() => expect(valuesOf('pulses').length).toBeGreaterThan(0), { timeout: 5000 });

    const faults = [
      ['silent', 'MODBUS_TIMEOUT'],
      ['busy', 'MODBUS_DEVICE_BUSY'],
      ['bad-crc', 'MODBUS_CRC'],
      ['garbage', 'MODBUS_REPLY_INVALID'],
    ] as const;
    for (const [fault, code] of faults) {
      emulator.setFault(2, fault);
      await vi.waitFor(() => expect(codesFor('pulses')).toContain(code), { timeout: FAULT_SEEN_MS });
      await vi.waitFor(() => expect(codesFor('flow')).toContain(code), { timeout: FAULT_SEEN_MS });
      // Unit 1 shares the bus and goes on delivering.
      await grows('air-t');
      emulator.setFault(2, undefined);
    }
    expect(errors.filter((e) => e.sensors.some((id) => !UNIT_2.includes(id)))).toEqual([]);
    const messages = new Set(errors.map((e) => e.message));
    expect(messages).toContain(
      `unit 2 function 3 address 100 (2 registers): no reply within ${REPLY_TIMEOUT_MS} ms (2 tries)`,
    );
    expect(messages).toContain('unit 2 function 4 address 7 (2 registers): exception 6 (server device busy)');
    expect(messages).toContain(
      'unit 2 function 3 address 100 (2 registers): reply failed its CRC check (2 tries)',
    );
    expect(messages).toContain(
      'unit 2 function 3 address 100 (2 registers): reply starts with unit 255, expected 2 (2 tries)',
    );
    expect(errors[0]?.context).toEqual({ port: 'rs485' });
    await grows('pulses');
  });

  it('reports an unmapped register to its sensor alone, even when it was read together with others', async () => {
    const pty = await ptyPair();
    await emulatorOn(pty.b);
    const ghost = sensor('ghost', { unitId: 1, function: 3, address: 6, dataType: 'int16' });
    await driverFor(pty.a, [...SENSORS, ghost]).start();
    await vi.waitFor(() => expect(codesFor('ghost').length).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    expect(new Set(codesFor('ghost'))).toEqual(new Set(['MODBUS_ILLEGAL_ADDRESS']));
    expect(errors.find((e) => e.sensors.includes('ghost'))?.message).toBe(
      'unit 1 function 3 address 6: exception 2 (illegal data address)',
    );
    // Its neighbours in the combined read are not silenced by it.
    expect(errors.filter((e) => !e.sensors.every((id) => id === 'ghost'))).toEqual([]);
    await grows('air-t');
    await grows('energy-le');
  });

  it('reports a port that vanishes and reads again once it is back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-modbus-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const a = join(dir, 'gateway');
    const b = join(dir, 'bus');
    const first = await startPtyPairAt(a, b);
    cleanups.push(() => first.stop());
    const emulator = await emulatorOn(b);
    await driverFor(a).start();
    await vi.waitFor(() => expect(valuesOf('air-t').length).toBeGreaterThan(0), { timeout: 5000 });

    await emulator.stop();
    await first.stop();
    await vi.waitFor(() => expect(codesFor('air-t')).toContain('SERIAL_CLOSED'), { timeout: 5000 });
    await vi.waitFor(() => expect(codesFor('pulses')).toContain('SERIAL_OPEN_FAILED'), { timeout: 5000 });

    const second = await startPtyPairAt(a, b);
    cleanups.push(() => second.stop());
    await emulatorOn(b);
    await grows('air-t');
    await grows('pulses');
  });

  it('answers a third-party master (modbus-serial) byte for byte', async () => {
    const pty = await ptyPair();
    await emulatorOn(pty.b);
    const client = new ModbusRTU();
    await client.connectRTUBuffered(pty.a, { baudRate: 19_200, parity: 'even' });
    cleanups.push(() => new Promise<void>((resolve) => client.close(() => resolve())));
    client.setTimeout(500);
    client.setID(2);
    expect((await client.readHoldingRegisters(100, 2)).data).toEqual([0xee6b, 0x2800]);
    client.setID(1);
    expect((await client.readInputRegisters(0, 2)).buffer.readFloatBE(0)).toBe(1013.25);
    await expect(client.readHoldingRegisters(6, 1)).rejects.toMatchObject({ modbusCode: 2 });
  });
});
