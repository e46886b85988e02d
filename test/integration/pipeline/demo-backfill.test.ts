import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StationServer } from '../../../cli/station-server.js';
import {
  type BackfillMarker,
  readBackfillMarker,
} from '../../../firmware-bridge/backfill/backfill-marker.js';
import { scheduledCounts } from '../../../firmware-bridge/backfill/sample-schedule.js';
import { loadGatewayConfig } from '../../../firmware-bridge/config/load.js';
import { LogRecorder } from '../../harness/log-recorder.js';

// `up --simulate` with a two-hour backfill, in-process on real parts: the broker on its disk store,
// the ingest with the bundled alert rules, a private influxd. Every backfilled reading must be stored
// once, the live simulation must follow, and a restart must not backfill again.

const GATEWAYS = [
  { station: 'jinfo', gateway: 'sim-cave-gw-1', file: 'config/simulate/jinfo.yaml' },
  { station: 'xuefeng', gateway: 'sim-line-gw-1', file: 'config/simulate/xuefeng.yaml' },
] as const;

const SEQUENCE_TROUBLE = ['sequence gap', 'sequence restart', 'sequence duplicate'];

async function influxCounts(url: string, marker: BackfillMarker): Promise<Map<string, number>> {
  const q =
    `SELECT count("value") FROM "reading" WHERE "station" = '${marker.station}' AND "gateway" = '${marker.gateway}' ` +
    `AND time >= ${marker.fromMs}ms AND time < ${marker.toMs}ms GROUP BY "sensor"`;
  const response = await fetch(`${url}/query?db=fieldstation&epoch=ms&q=${encodeURIComponent(q)}`);
  const body = (await response.json()) as {
    results: { series?: { tags: { sensor: string }; values: [number, number][] }[] }[];
  };
  return new Map((body.results[0]?.series ?? []).map((s) => [s.tags.sensor, s.values[0]?.[1] ?? 0]));
}

async function newestTime(url: string, station: string, sensor: string): Promise<number> {
  const q = `SELECT last("value") FROM "reading" WHERE "station" = '${station}' AND "sensor" = '${sensor}'`;
  const response = await fetch(`${url}/query?db=fieldstation&epoch=ms&q=${encodeURIComponent(q)}`);
  const body = (await response.json()) as { results: { series?: { values: [number, number][] }[] }[] };
  return body.results[0]?.series?.[0]?.values[0]?.[0] ?? 0;
}

describe('up --simulate with a backfill', () => {
  let dir: string;
  let dataDir: string;
  let server: StationServer | undefined;
  let logs: LogRecorder;
  let influxUrl: string;
  const markers: BackfillMarker[] = [];

  function station(recorder: LogRecorder): StationServer {
    return new StationServer({
      dataDir,
      credentialsFile: join(dataDir, 'broker', 'accounts.json'),
      mqtt: { host: '127.0.0.1', port: 0 },
      http: { host: '127.0.0.1', port: 0 },
      alertsFile: 'config/alerts.yaml',
      // Live sensors sample twenty times faster, so the live readings after the history come soon.
      simulate: { backfillDays: 2 / 24, intervalScale: 0.05 },
      logger: recorder.logger(),
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-backfill-'));
    dataDir = join(dir, 'data');
    logs = new LogRecorder();
    server = station(logs);
    ({ influxUrl } = await server.start());
    for (const { station, gateway } of GATEWAYS) {
      const marker = await readBackfillMarker(join(dataDir, 'simulated-gateways', station, gateway));
      if (marker === undefined) throw new Error(`no backfill marker for ${station}/${gateway}`);
      markers.push(marker);
    }
  });

  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs progress and how much history it loaded, before start() resolves', () => {
    const total = markers.reduce((sum, marker) => sum + marker.readings, 0);
    expect(logs.find('backfill 100% sent')).toMatchObject({ sent: total, total });
    const loaded = logs.records.find((record) => record.msg.startsWith('history loaded'));
    expect(loaded).toMatchObject({ readings: total, days: 2 / 24 });
  });

  it.each(GATEWAYS.map((g, i) => [g.station, g.file, i] as const))(
    '%s: stores every scheduled reading of every sensor exactly once',
    async (_station, file, index) => {
      const marker = markers[index] as BackfillMarker;
      expect(marker.toMs - marker.fromMs).toBe(2 * 3_600_000);
      const config = await loadGatewayConfig(file);
      const expected = scheduledCounts(config.sensors, marker);
      expect(expected.size).toBe(config.sensors.length);
      expect(await influxCounts(influxUrl, marker)).toEqual(expected);
      expect(marker.readings).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    },
  );

  it('hands over to the live simulation, on one unbroken sequence', async () => {
    for (const [index, sensor] of [
      [0, 'cave-co2-1'],
      [1, 'wind-speed-1'],
    ] as const) {
      const marker = markers[index] as BackfillMarker;
      await vi.waitFor(
        async () =>
          expect(await newestTime(influxUrl, marker.station, sensor)).toBeGreaterThanOrEqual(marker.toMs),
        { timeout: 30_000, interval: 200 },
      );
    }
    expect(logs.records.filter((record) => SEQUENCE_TROUBLE.includes(record.msg))).toEqual([]);
  });

  it('does not backfill again after a restart, and the sequence carries on', async () => {
    await server?.stop();
    const again = new LogRecorder();
    server = station(again);
    ({ influxUrl } = await server.start());
    expect(
      again.records.filter((record) => record.msg === 'backfill skipped: the data dir already holds it'),
    ).toHaveLength(2);
    expect(again.find('backfill written to the outbox')).toBeUndefined();
    expect(again.records.some((record) => record.msg.startsWith('history loaded'))).toBe(false);
    for (const [index, { file }] of GATEWAYS.entries()) {
      const marker = markers[index] as BackfillMarker;
      const config = await loadGatewayConfig(file);
      expect(await influxCounts(influxUrl, marker)).toEqual(scheduledCounts(config.sensors, marker));
    }
    const restartedAt = Date.now();
    await vi.waitFor(
      async () => expect(await newestTime(influxUrl, 'xuefeng', 'wind-speed-1')).toBeGreaterThan(restartedAt),
      { timeout: 30_000, interval: 200 },
    );
    expect(again.records.filter((record) => SEQUENCE_TROUBLE.includes(record.msg))).toEqual([]);
  });
});
