import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CRASH_LOAD,
  CRASH_LOAD_READINGS,
  CrashStation,
  GATEWAY,
  STORED_BEFORE_CRASH,
} from './crash-station.js';
import { GatewayLoad } from './gateway-load.js';

// The design brief's promise for the database: kill -9 influxd in the middle of a sustained load,
// start it again on the same port and data directory, and every reading the gateway produced is in
// InfluxDB exactly once. The ingest (a `fieldstation ingest` child process) keeps running: it must
// hold its acknowledgement and retry, so the broker keeps the rest queued, and the write that was in
// flight at the kill, stored or not, is written again and stored once.

const LOAD = CRASH_LOAD;
const TOTAL = CRASH_LOAD_READINGS;
/** Batches published while influxd is down. */
const PUBLISHED_WHILE_DOWN = 50;

let station: CrashStation | undefined;
let load: GatewayLoad | undefined;

beforeAll(async () => {
  station = await CrashStation.start();
});

afterAll(async () => {
  await load?.stop();
  await station?.stop();
});

describe('kill -9 of influxd under load', () => {
  it('stores every reading exactly once after influxd restarts on the same data', async () => {
    if (station === undefined) throw new Error('no station');
    const crash = station;
    const ingest = await crash.startIngest();
    const gateway = await GatewayLoad.start(crash.mqttUrl, crash.gatewayAccount, GATEWAY, LOAD);
    load = gateway;

    await vi.waitFor(
      async () =>
        expect(await crash.storedCount(), crash.describe(gateway)).toBeGreaterThanOrEqual(
          STORED_BEFORE_CRASH,
        ),
      { timeout: 60_000, interval: 50 },
    );
    await crash.influx.server.stop('SIGKILL');
    const publishedAtKill = gateway.published;
    expect(publishedAtKill).toBeLessThan(LOAD.batches - PUBLISHED_WHILE_DOWN);

    // The ingest notices (its write fails) and keeps going; the gateway keeps publishing.
    await ingest.waitForLog('InfluxDB write failed; retrying', undefined, 60_000);
    await gateway.untilPublished(publishedAtKill + PUBLISHED_WHILE_DOWN);
    await crash.influx.server.start();
    const storedAfterRestart = await crash.storedCount();
    expect(storedAfterRestart).toBeGreaterThan(0);
    expect(storedAfterRestart).toBeLessThan(TOTAL);

    await gateway.finished;
    expect(gateway.readingsPublished).toBe(TOTAL);
    await vi.waitFor(async () => expect(await crash.storedCount(), crash.describe(gateway)).toBe(TOTAL), {
      timeout: 60_000,
      interval: 100,
    });
    expect(await crash.storedValues()).toEqual(gateway.publishedValues());
    // The same process rode the outage out: it was neither restarted nor did it quarantine anything.
    expect(crash.ingests).toEqual([ingest]);
    expect(ingest.logs.find('message quarantined')).toBeUndefined();
  }, 180_000);
});
