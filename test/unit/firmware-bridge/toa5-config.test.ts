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
  driver: { type: 'toa5', column: 'AirTC_Avg', ...driver },
});

function config(
  sensors: unknown[],
  files: unknown[] = [
    { id: 'met', path: '/data/CR1000X_Table1.dat', protocol: { type: 'toa5', utcOffset: '+08:00' } },
  ],
) {
  return {
    station: 'xuefeng',
    gateway: 'met-gw-1',
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    outbox: { dir: '/tmp/outbox' },
    serialPorts: [{ id: 'logger', path: '/dev/ttyUSB0', protocol: { type: 'toa5', utcOffset: '-05:00' } }],
    files,
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

describe('toa5 config', () => {
  it('takes sensors on a port and on a file, and builds one driver for each source', async () => {
    const parsed = parseGatewayConfig(
      config([
        sensor('a', { port: 'logger' }),
        sensor('b', { file: 'met' }),
        sensor('c', { file: 'met', column: 'RH' }),
      ]),
      'gw.yaml',
    );
    expect(parsed.files[0]?.protocol).toEqual({
      type: 'toa5',
      utcOffset: '+08:00',
      pollIntervalMs: 1000,
      backfill: false,
    });
    const sink = { sample: () => undefined, error: () => undefined };
    const drivers = await createDrivers(parsed, { sink, logger: pino({ level: 'silent' }) });
    expect(drivers.map((driver) => driver.name)).toEqual(['toa5:logger', 'toa5:file:met']);
  });

  it('wants exactly one source per sensor, a known file, a zone offset and an absolute path', () => {
    expect(
      issues(
        config(
          [sensor('a', { file: 'met' })],
          [{ id: 'met', path: 'relative.dat', protocol: { type: 'toa5', utcOffset: '+8' } }],
        ),
      ),
    ).toEqual([
      'gw.yaml: files[0].path: must be an absolute path',
      'gw.yaml: files[0].protocol.utcOffset: must be an offset from UTC such as "+08:00" or "-05:00"',
    ]);
    expect(
      issues(
        config([
          sensor('a', {}),
          sensor('b', { port: 'logger', file: 'met' }),
          sensor('c', { file: 'nope' }),
        ]),
      ),
    ).toEqual([
      'gw.yaml: sensors[0].driver: a toa5 sensor reads one source: give exactly one of "port" and "file"',
      'gw.yaml: sensors[1].driver: a toa5 sensor reads one source: give exactly one of "port" and "file"',
      'gw.yaml: sensors[2].driver.file: expected a files id (met)',
    ]);
  });
});
