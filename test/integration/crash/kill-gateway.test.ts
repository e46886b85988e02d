import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LogRecord } from '../../harness/log-recorder.js';
import { CrashStation } from './crash-station.js';
import { delivered, SimulatedGateway } from './simulated-gateway.js';

// The design brief's promise for the gateway: kill -9 it right after its drivers delivered readings,
// start it again, and every one of them reaches InfluxDB. The batch is set to wait far longer than
// the test, so a reading that waited for company in memory, not on disk, would be missing.

/** Readings delivered before the kill: a few ticks of every sensor. */
const DELIVERED_BEFORE_KILL = 60;

let station: CrashStation | undefined;
let dir: string | undefined;
let gateway: SimulatedGateway | undefined;

beforeAll(async () => {
  station = await CrashStation.start();
  dir = await mkdtemp(join(tmpdir(), 'fs-kill-gateway-'));
});

afterAll(async () => {
  await gateway?.killAll();
  await station?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('kill -9 of a gateway', () => {
  it('stores every reading its drivers delivered before the kill, once it runs again', async () => {
    if (station === undefined || dir === undefined) throw new Error('no station');
    await station.startIngest();
    const simulated = await SimulatedGateway.write(station, dir, {
      sensors: ['kill-t-1', 'kill-t-2', 'kill-t-3'],
      // No batch fills or times out while the test runs: only the disk holds the readings at the kill.
      batch: { maxReadings: 1000, maxDelayMs: 3_600_000 },
    });
    gateway = simulated;

    const first = simulated.start();
    const enough = (record: LogRecord) =>
      record.msg === 'reading delivered' && delivered(first.logs.records).length >= DELIVERED_BEFORE_KILL;
    // A child that compiles the CLI with tsx can take long to start on a loaded machine: a deadline, not a pace.
    await first.waitForLog('reading delivered', enough, 120_000);
    first.signal('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    const beforeKill = new Set(delivered(first.logs.records));
    expect(beforeKill.size).toBeGreaterThanOrEqual(DELIVERED_BEFORE_KILL);

    const second = simulated.start();
    await second.waitForLog('gateway started', undefined, 120_000);
    await vi.waitFor(
      async () => {
        const inInflux = await simulated.stored();
        const missing = [...beforeKill].filter((reading) => !inInflux.has(reading));
        expect(missing, `${missing.length} of ${beforeKill.size} delivered readings missing`).toEqual([]);
      },
      { timeout: 60_000, interval: 200 },
    );
    expect(second.logs.find('readings journaled before a crash stored')).toBeDefined();
  }, 300_000);
});
