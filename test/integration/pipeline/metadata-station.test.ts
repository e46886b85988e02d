import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SensorResponse } from '../../../api/routes/sensors/sensors-schema.js';
import { parseGatewayConfig } from '../../../firmware-bridge/config/load.js';
import { Gateway } from '../../../firmware-bridge/gateway.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { type RunningStationParts, startStationParts } from '../../harness/station.js';

// A real gateway publishes its metadata through the real broker; the ingest stores it in a real
// influxd; the API answers it. A second start with a new calibration adds to the history, and `?at=`
// picks the calibration in force on either side of it.

const ADDRESS = { station: 'jinfo', gateway: 'meta-gw-1' };
const logger = pino({ level: process.env.FS_TEST_LOG ?? 'silent' });

const FIRST = { date: '2025-03-01', coefficients: { scale: 1250, offset: -12.5 }, by: 'Wang Jun' };
const SECOND = { date: '2025-11-03', coefficients: { scale: 1248, offset: -9.8 }, by: 'Li Na' };

function configFor(dir: string, calibration: typeof FIRST) {
  return parseGatewayConfig(
    {
      ...ADDRESS,
      meta: {
        station: { position: { latitude: 29.0188, longitude: 107.1939, elevation: 1742 } },
        gateway: { make: 'Raspberry Pi Ltd', model: 'Raspberry Pi 4 Model B', serial: '10000000a3f2c1d4' },
      },
      mqtt: { url: 'mqtt://127.0.0.1:1' },
      outbox: { dir: 'outbox' },
      healthIntervalMs: 60_000,
      sensors: [
        {
          id: 'cave-co2-1',
          quantity: 'co2',
          unit: '[ppm]',
          intervalMs: 60_000,
          meta: {
            position: { latitude: 29.0194, longitude: 107.1952, elevation: 1688 },
            make: 'Vaisala',
            model: 'GMP252',
            serial: 'S2630118',
            installed: '2024-05-23',
            calibration,
          },
          driver: { type: 'simulator', signal: { type: 'diurnal', mean: 800 } },
        },
      ],
    },
    join(dir, 'gateway.yaml'),
  );
}

let influx: TestInflux;
let station: RunningStationParts;
let dir: string;
let password: string;

async function runGateway(calibration: typeof FIRST, published: () => Promise<void>): Promise<void> {
  const gateway = new Gateway({
    config: configFor(dir, calibration),
    logger,
    mqtt: { url: `mqtt://127.0.0.1:${station.mqttPort}`, username: 'jinfo.meta-gw-1', password },
    drainTimeoutMs: 500,
  });
  await gateway.start();
  try {
    await published();
  } finally {
    await gateway.stop();
  }
}

function sensor(params: Record<string, string> = {}): Promise<SensorResponse> {
  return station.api.json<SensorResponse>('/v1/sensors/jinfo/cave-co2-1', params);
}

beforeAll(async () => {
  influx = await startTestInflux('fs_pipeline_metadata');
  station = await startStationParts({ influx: influx.config });
  password = (await station.addGateway(ADDRESS)).password;
  dir = await mkdtemp(join(tmpdir(), 'fs-meta-gw-'));
});

afterAll(async () => {
  await station?.stop();
  await influx?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('metadata from a gateway to the API', () => {
  it('the stations and sensor routes show what the gateway published', async () => {
    await runGateway(FIRST, () =>
      vi.waitFor(
        async () => {
          const found = (await station.api.stations()).find((s) => s.station === 'jinfo');
          expect(found?.metadata).toMatchObject({ position: { latitude: 29.0188 }, reportedBy: 'meta-gw-1' });
          const gateway = found?.gateways.find((g) => g.gateway === 'meta-gw-1');
          expect(gateway?.metadata).toMatchObject({ make: 'Raspberry Pi Ltd', serial: '10000000a3f2c1d4' });
          expect(gateway?.sensors.find((s) => s.sensor === 'cave-co2-1')?.metadata).toMatchObject({
            model: 'GMP252',
            calibration: FIRST,
          });
        },
        { timeout: 10_000, interval: 100 },
      ),
    );
    const answer = await sensor();
    expect(answer).toMatchObject({ station: 'jinfo', sensor: 'cave-co2-1', gateway: 'meta-gw-1' });
    expect(answer.metadata).toMatchObject({ make: 'Vaisala', installed: '2024-05-23' });
    expect(answer.calibrations).toMatchObject([FIRST]);
  });

  it('a new calibration adds to the history, and ?at= gives the one in force before and after it', async () => {
    await runGateway(SECOND, () =>
      vi.waitFor(async () => expect((await sensor()).calibrations).toHaveLength(2), {
        timeout: 10_000,
        interval: 100,
      }),
    );
    const answer = await sensor();
    expect(answer.calibrations).toMatchObject([FIRST, SECOND]);
    expect(answer.metadata?.calibration).toEqual(SECOND);
    expect((await sensor({ at: '2025-06-01T00:00:00Z' })).at).toMatchObject({ calibration: FIRST });
    expect((await sensor({ at: '2025-12-01T00:00:00+08:00' })).at).toMatchObject({ calibration: SECOND });
    expect((await sensor({ at: '2024-01-01T00:00:00Z' })).at).toEqual({
      time: '2024-01-01T00:00:00.000Z',
      calibration: null,
    });
  });

  it('a restart with the same config publishes nothing new', async () => {
    // The two runs so far each said online and offline: wait for the last offline, so none is in flight.
    await vi.waitFor(() => expect(station.ingest.stats().statusAccepted).toBe(4), {
      timeout: 10_000,
      interval: 50,
    });
    const before = station.ingest.stats();
    // Stopped once online, so it says offline on the same connection.
    await runGateway(SECOND, () =>
      vi.waitFor(() => expect(station.ingest.stats().statusAccepted).toBeGreaterThan(before.statusAccepted), {
        timeout: 10_000,
        interval: 50,
      }),
    );
    // The online and offline statuses travel on the connections the meta would have used, after it.
    await vi.waitFor(
      () => expect(station.ingest.stats().statusAccepted).toBeGreaterThanOrEqual(before.statusAccepted + 2),
      {
        timeout: 10_000,
        interval: 50,
      },
    );
    expect(station.ingest.stats().metaAccepted).toBe(before.metaAccepted);
    expect((await sensor()).calibrations).toHaveLength(2);
  });

  it('a sensor nobody knows is a 404 problem; a malformed `at` a 400', async () => {
    const missing = await station.api.text('/v1/sensors/jinfo/no-such-sensor');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ code: 'SENSOR_UNKNOWN' });
    const bad = await station.api.text('/v1/sensors/jinfo/cave-co2-1', { at: 'yesterday' });
    expect(bad.status).toBe(400);
  });
});
