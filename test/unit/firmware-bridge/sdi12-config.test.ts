import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../../firmware-bridge/config/load.js';
import { createDrivers } from '../../../firmware-bridge/drivers/index.js';
import type { ConfigError } from '../../../firmware-bridge/errors.js';

const sensor = (id: string, driver: Record<string, unknown>) => ({
  id,
  quantity: 'temperature',
  unit: 'Cel',
  intervalMs: 60_000,
  driver: { type: 'sdi12', port: 'sdi', ...driver },
});

function config(sensors: unknown[], protocol: Record<string, unknown> = { type: 'sdi12' }) {
  return {
    station: 'jinfo',
    gateway: 'met-gw-1',
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    outbox: { dir: '/tmp/outbox' },
    serialPorts: [
      { id: 'sdi', path: '/dev/ttyUSB0', baudRate: 1200, protocol },
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

describe('sdi12 config', () => {
  it('fills in the defaults and builds one driver per adapter', async () => {
    const parsed = parseGatewayConfig(
      config([
        sensor('air-t', { address: '0', index: 1 }),
        sensor('soil-t', { address: 'b', command: 'MC', index: 2 }),
      ]),
      'gw.yaml',
    );
    expect(parsed.serialPorts[0]?.protocol).toEqual({ type: 'sdi12', replyTimeoutMs: 1000, retries: 2 });
    expect(parsed.sensors[0]?.driver).toEqual({
      type: 'sdi12',
      port: 'sdi',
      address: '0',
      command: 'M',
      index: 1,
    });
    const sink = { sample: () => undefined, error: () => undefined };
    const drivers = await createDrivers(parsed, { sink, logger: pino({ level: 'silent' }) });
    expect(drivers.map((driver) => driver.name)).toEqual(['sdi12:sdi']);
  });

  it('names what is wrong: address, command, index', () => {
    expect(
      issues(
        config([
          sensor('a', { address: '10', index: 1 }),
          sensor('b', { address: '0', command: 'R', index: 1 }),
          sensor('c', { address: '0', index: 0 }),
        ]),
      ),
    ).toEqual([
      "gw.yaml: sensors[0].driver.address: must be one character '0'-'9', 'a'-'z' or 'A'-'Z'",
      expect.stringMatching(/^gw\.yaml: sensors\[1\]\.driver\.command: /),
      expect.stringMatching(/^gw\.yaml: sensors\[2\]\.driver\.index: /),
    ]);
  });

  it('refuses a port of another protocol', () => {
    expect(issues(config([sensor('d', { address: '0', index: 1, port: 'kv' })]))).toEqual([
      'gw.yaml: sensors[0].driver.port: port "kv" speaks kv; a sdi12 sensor needs a port with protocol sdi12',
    ]);
  });
});
