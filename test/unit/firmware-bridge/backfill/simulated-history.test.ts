import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBackfillMarker } from '../../../../firmware-bridge/backfill/backfill-marker.js';
import { prefillOutbox } from '../../../../firmware-bridge/backfill/prefill-outbox.js';
import { scheduledCounts } from '../../../../firmware-bridge/backfill/sample-schedule.js';
import { prepareSimulatedHistory } from '../../../../firmware-bridge/backfill/simulated-history.js';
import { loadGatewayConfig } from '../../../../firmware-bridge/config/load.js';
import { Outbox } from '../../../../firmware-bridge/outbox/outbox.js';
import type { StoredMessage } from '../../../../firmware-bridge/outbox/segments.js';
import { type Reading, ReadingsBatchSchema } from '../../../../protocol/index.js';

const logger = pino({ level: 'silent' });
const NOW = Date.UTC(2026, 11, 4, 21, 44, 8, 592);

function reading(i: number): Reading {
  return {
    sensor: 'cave-co2-1',
    quantity: 'co2',
    unit: '[ppm]',
    value: 800 + i,
    time: NOW - 1000 * i,
    qc: 1,
  };
}

async function stored(dir: string): Promise<StoredMessage[]> {
  const outbox = new Outbox({ dir, maxBytes: 1e9, logger });
  await outbox.start();
  const cursor = outbox.cursor();
  const messages: StoredMessage[] = [];
  for (let m = await cursor.next(); m !== undefined; m = await cursor.next()) messages.push(m);
  await outbox.stop();
  return messages;
}

describe('backfill into the outbox', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-backfill-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('numbers messages after what the outbox held, and the gateway continues after them', async () => {
    const outboxDir = join(dir, 'outbox');
    const earlier = new Outbox({ dir: outboxDir, maxBytes: 1e9, logger });
    await earlier.start();
    await earlier.append([reading(100)]);
    await earlier.append([reading(101)]);
    await earlier.stop();

    const result = await prefillOutbox({
      dir: outboxDir,
      batches: [[reading(1), reading(2)], [reading(3)], [reading(4), reading(5), reading(6)]],
      logger,
    });
    expect(result).toMatchObject({ readings: 6, messages: 3, firstSeq: 2, lastSeq: 4 });
    expect(result.bytes).toBeGreaterThan(0);

    const live = new Outbox({ dir: outboxDir, maxBytes: 1e9, logger });
    await live.start();
    expect((await live.append([reading(7)])).seq).toBe(5);
    await live.stop();
    const messages = await stored(outboxDir);
    expect(messages.map((m) => m.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    const batch = ReadingsBatchSchema.parse(JSON.parse(messages[4]?.payload ?? ''));
    expect(batch).toMatchObject({ v: 1, seq: 4, readings: [reading(4), reading(5), reading(6)] });
  });

  it('writes a window of readings once, with a marker; the next start skips it and keeps the shift', async () => {
    const config = await loadGatewayConfig('config/simulate/xuefeng.yaml');
    const first = await prepareSimulatedHistory(config, dir, { days: 1 / 24, nowMs: NOW }, logger);
    const window = { fromMs: NOW - 3_600_000, toMs: NOW };
    const expected = [...scheduledCounts(config.sensors, window).values()].reduce((a, b) => a + b, 0);
    const marker = await readBackfillMarker(dir);
    expect(first.history).toEqual({ marker, fresh: true });
    expect(marker).toMatchObject({
      station: 'xuefeng',
      gateway: 'sim-line-gw-1',
      ...window,
      readings: expected,
      firstSeq: 0,
      lastSeq: (marker?.messages ?? 0) - 1,
    });
    const messages = await stored(join(dir, 'outbox'));
    expect(messages.reduce((sum, m) => sum + m.readings, 0)).toBe(expected);
    // The live gateway runs on the same (shifted) weather, with room for the backlog in its quota.
    const shifts = new Set(
      first.config.sensors.flatMap((s) => (s.driver.type === 'simulator' ? [s.driver.shiftDays] : [])),
    );
    expect(shifts).toEqual(new Set([marker?.shiftDays]));
    expect(first.config.outbox.maxBytes).toBe(config.outbox.maxBytes + (marker?.bytes ?? 0));

    const again = await prepareSimulatedHistory(config, dir, { days: 7, nowMs: NOW + 60_000 }, logger);
    expect(again.history).toEqual({ marker, fresh: false });
    expect(again.config).toEqual(first.config);
    expect(await stored(join(dir, 'outbox'))).toHaveLength(messages.length);
  });

  it('writes nothing with 0 days and no marker', async () => {
    const config = await loadGatewayConfig('config/simulate/jinfo.yaml');
    const prepared = await prepareSimulatedHistory(config, dir, { days: 0, nowMs: NOW }, logger);
    expect(prepared).toEqual({ config, history: undefined });
    expect(await readBackfillMarker(dir)).toBeUndefined();
  });
});
