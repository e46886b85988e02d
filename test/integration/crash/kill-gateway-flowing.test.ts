import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LogRecord } from '../../harness/log-recorder.js';
import { CrashStation } from './crash-station.js';
import { delivered, SimulatedGateway } from './simulated-gateway.js';

// The chaos bench's gateway row as a test: batches flow (50 readings or 200 ms) while the gateway
// is killed -9 several times, and after the last restart it is stopped with SIGTERM at once, as a
// service manager may, before it has connected. Every reading its drivers delivered in any run
// must reach InfluxDB by the end of that last run, with no further start.

/** Readings each killed run delivers before its kill: a few batches, the last one still forming. */
const DELIVERED_BEFORE_KILL = [90, 130, 170];

let station: CrashStation | undefined;
let dir: string | undefined;
let gateway: SimulatedGateway | undefined;

beforeAll(async () => {
  station = await CrashStation.start();
  dir = await mkdtemp(join(tmpdir(), 'fs-kill-gateway-flowing-'));
});

afterAll(async () => {
  await gateway?.killAll();
  await station?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('kill -9 of a gateway while batches flow, then SIGTERM right after its restart', () => {
  it('stores every reading any run delivered', async () => {
    if (station === undefined || dir === undefined) throw new Error('no station');
    await station.startIngest();
    const simulated = await SimulatedGateway.write(station, dir, {
      sensors: ['flow-t-1', 'flow-t-2', 'flow-t-3', 'flow-t-4'],
      batch: { maxReadings: 50, maxDelayMs: 200 },
    });
    gateway = simulated;

    const produced: string[] = [];
    for (const count of DELIVERED_BEFORE_KILL) {
      const run = simulated.start();
      // Publishing, so acknowledgements, segment deletion and journal releases run when the kill lands.
      await run.waitForLog('mqtt connected', undefined, 120_000);
      const enough = (record: LogRecord) =>
        record.msg === 'reading delivered' && delivered(run.logs.records).length >= count;
      await run.waitForLog('reading delivered', enough, 120_000);
      run.signal('SIGKILL');
      expect(await run.exited).toMatchObject({ signal: 'SIGKILL' });
      produced.push(...delivered(run.logs.records));
    }

    const last = simulated.start();
    await last.waitForLog('running; stop with Ctrl-C or SIGTERM', undefined, 120_000);
    last.signal('SIGTERM');
    expect(await last.exited).toMatchObject({ code: 0 });
    produced.push(...delivered(last.logs.records));

    await vi.waitFor(
      async () => {
        const inInflux = await simulated.stored();
        const missing = produced.filter((reading) => !inInflux.has(reading));
        expect(missing, `${missing.length} of ${produced.length} delivered readings missing`).toEqual([]);
      },
      { timeout: 60_000, interval: 200 },
    );
  }, 600_000);
});
