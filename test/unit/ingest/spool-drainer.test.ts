import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  errorForStatus,
  InfluxError,
  type LinePoints,
  type LineWriter,
  type Precision,
  pointLines,
} from '../../../influx/index.js';
import { Spool, SpoolConfigSchema } from '../../../ingest/spool/spool.js';
import { DrainConfigSchema, SpoolDrainer } from '../../../ingest/spool/spool-drainer.js';
import { RetryPolicySchema } from '../../../ingest/store/retry-policy.js';
import { tempDir } from '../../harness/temp-dir.js';

const logger = pino({ level: 'silent' });
const retry = RetryPolicySchema.parse({ initialDelayMs: 1, maxDelayMs: 5, jitter: 0 });

/** InfluxDB as the drainer sees it: records requests, refuses lines that contain "bad" for good. */
class FakeInflux implements LineWriter {
  readonly stored: string[] = [];
  readonly requests: number[] = [];
  readonly failures: InfluxError[] = [];
  inFlight = 0;
  maxInFlight = 0;
  async write(points: LinePoints, precision: Precision): Promise<void> {
    expect(precision).toBe('ns');
    const lines = pointLines(points);
    this.requests.push(lines.length);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (lines.some((line) => line.includes('bad'))) {
      throw errorForStatus(400, 'partial write: field type conflict', `write ${lines.length} points`);
    }
    this.stored.push(...lines);
  }
  async close(): Promise<void> {}
}

const running: { drainer: SpoolDrainer; spool: Spool }[] = [];
afterEach(async () => {
  for (const { drainer, spool } of running.splice(0)) {
    await drainer.stop();
    spool.close();
  }
});

async function setup(drain: Partial<ReturnType<typeof DrainConfigSchema.parse>> = {}) {
  const spool = new Spool(tempDir('fs-drain'), SpoolConfigSchema.parse({ fsync: 'never' }));
  await spool.open();
  const influx = new FakeInflux();
  const rejected: string[] = [];
  const drainer = new SpoolDrainer({
    spool,
    writer: influx,
    config: DrainConfigSchema.parse({ maxDelayMs: 5, ...drain }),
    retry,
    logger,
    onRejected: (line) => rejected.push(line),
  });
  running.push({ drainer, spool });
  return { spool, influx, drainer, rejected };
}

const lines = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `reading value=${from + i} ${from + i}\n`).join('');

describe('SpoolDrainer', () => {
  it('writes many small appends in few large requests, and confirms them to the spool', async () => {
    const { spool, influx, drainer } = await setup({ batchLines: 100, maxDelayMs: 50 });
    drainer.start();
    for (let i = 0; i < 250; i++) spool.append(lines(i, 1));
    await vi.waitFor(() => expect(influx.stored).toHaveLength(250));
    expect(influx.requests.length).toBeLessThanOrEqual(6);
    await vi.waitFor(() => expect(spool.pendingBytes).toBe(0));
    expect(drainer.stats).toMatchObject({ pointsWritten: 250, rejectedLines: 0 });
  });

  it('writes a backlog left in the spool at once, with at most `concurrency` requests in flight', async () => {
    const { spool, influx, drainer } = await setup({ batchLines: 10, concurrency: 2 });
    spool.append(lines(0, 100));
    drainer.start();
    await vi.waitFor(() => expect(influx.stored).toHaveLength(100));
    expect(influx.maxInFlight).toBe(2);
    expect(influx.requests.every((count) => count <= 10)).toBe(true);
  });

  it('retries what can succeed later, honouring Retry-After, and loses nothing', async () => {
    const { spool, influx, drainer } = await setup();
    influx.failures.push(
      new InfluxError('INFLUX_UNREACHABLE', 'connection refused', true),
      errorForStatus(429, 'slow down', 'write 3 points', 30),
    );
    drainer.start();
    spool.append(lines(0, 3));
    await vi.waitFor(() => expect(influx.stored).toHaveLength(3));
    expect(drainer.stats.retries).toBe(2);
    expect(spool.pendingBytes).toBe(0);
  });

  it('splits a batch InfluxDB refuses for its content until only the bad line is left, and stores the rest', async () => {
    const { spool, influx, drainer, rejected } = await setup({ batchLines: 1000 });
    spool.append(`${lines(0, 40)}reading,sensor=bad value=1 99\n${lines(40, 40)}`);
    drainer.start();
    await vi.waitFor(() => expect(spool.pendingBytes).toBe(0));
    expect(influx.stored).toHaveLength(80);
    expect(rejected).toEqual(['reading,sensor=bad value=1 99']);
    expect(drainer.stats).toMatchObject({ pointsWritten: 80, rejectedLines: 1 });
  });

  it('sends no notes to InfluxDB, but confirms them with their run', async () => {
    const { spool, influx, drainer } = await setup();
    spool.append(`${lines(0, 1)}#seq jinfo gw-1 1 0\n`);
    drainer.start();
    await vi.waitFor(() => expect(spool.pendingBytes).toBe(0));
    expect(influx.stored).toEqual(['reading value=0 0']);
  });

  it('stops while InfluxDB is away and leaves the run unconfirmed for the next start', async () => {
    const { spool, influx, drainer } = await setup();
    for (let i = 0; i < 50; i++) influx.failures.push(new InfluxError('INFLUX_UNREACHABLE', 'down', true));
    drainer.start();
    spool.append(lines(0, 5));
    await vi.waitFor(() => expect(drainer.stats.retries).toBeGreaterThanOrEqual(2));
    await drainer.stop();
    expect(influx.stored).toEqual([]);
    expect(spool.pendingBytes).toBeGreaterThan(0);
  });
});
