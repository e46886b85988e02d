import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxOptions } from '../../../firmware-bridge/outbox/outbox.js';
import type { StoredMessage } from '../../../firmware-bridge/outbox/segments.js';
import type { Reading } from '../../../protocol/index.js';

const logger = pino({ level: 'silent' });

function readings(count: number, value = 1): Reading[] {
  return Array.from({ length: count }, (_, i) => ({
    sensor: 'cave-co2-1',
    quantity: 'co2',
    unit: '[ppm]',
    value: value + i,
    time: Date.UTC(2026, 10, 27) + i,
    qc: 2,
  }));
}

async function drain(outbox: Outbox): Promise<StoredMessage[]> {
  const cursor = outbox.cursor();
  const messages: StoredMessage[] = [];
  for (let m = await cursor.next(); m !== undefined; m = await cursor.next()) messages.push(m);
  return messages;
}

describe('Outbox', () => {
  let dir: string;
  const open: Outbox[] = [];

  async function start(options: Partial<OutboxOptions> = {}): Promise<Outbox> {
    const outbox = new Outbox({ dir, maxBytes: 1024 * 1024, logger, ...options });
    await outbox.start();
    open.push(outbox);
    return outbox;
  }

  async function restart(outbox: Outbox, options: Partial<OutboxOptions> = {}): Promise<Outbox> {
    await outbox.stop();
    return start(options);
  }

  async function segmentFiles(): Promise<string[]> {
    return (await readdir(dir)).filter((name) => name.startsWith('seg-')).sort();
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-outbox-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((outbox) => outbox.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  it('stores each batch as a JSON line under the next seq before resolving', async () => {
    const outbox = await start();
    const first = await outbox.append(readings(2));
    const second = await outbox.append(readings(1, 5));
    expect([first.seq, second.seq]).toEqual([0, 1]);
    const [file] = await segmentFiles();
    const lines = (await readFile(join(dir, file as string), 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { v: 1, seq: 0, readings: readings(2) },
      { v: 1, seq: 1, readings: readings(1, 5) },
    ]);
    expect(second.payload).toBe(lines[1]);
    expect(outbox.stats()).toMatchObject({ pendingMessages: 2, droppedMessages: 0 });
  });

  it('refuses a batch the contract refuses', async () => {
    const outbox = await start();
    await expect(outbox.append([])).rejects.toMatchObject({ code: 'OUTBOX_BATCH_INVALID' });
    expect((await outbox.append(readings(1))).seq).toBe(0);
  });

  it('reads in order, follows appends, and forgets what was acknowledged', async () => {
    const outbox = await start();
    for (let i = 0; i < 3; i += 1) await outbox.append(readings(1, i));
    const cursor = outbox.cursor();
    expect((await cursor.next())?.seq).toBe(0);
    expect((await cursor.next())?.seq).toBe(1);
    expect((await cursor.next())?.seq).toBe(2);
    expect(await cursor.next()).toBeUndefined();
    await outbox.append(readings(1));
    expect((await cursor.next())?.seq).toBe(3);
    outbox.ack(1);
    expect(outbox.stats().pendingMessages).toBe(3);
    outbox.ack(0);
    await outbox.flushState();
    expect(outbox.stats().pendingMessages).toBe(2);
    expect((await drain(outbox)).map((m) => m.seq)).toEqual([2, 3]);
  });

  it('replays unacknowledged messages in order after a restart and keeps counting seq', async () => {
    let outbox = await start();
    for (let i = 0; i < 5; i += 1) await outbox.append(readings(1, i));
    outbox.ack(0);
    outbox.ack(1);
    outbox.ack(3);
    outbox = await restart(outbox);
    // 3 was acknowledged ahead of 2, but only the low-water mark is durable: replay may repeat it.
    expect((await drain(outbox)).map((m) => m.seq)).toEqual([2, 3, 4]);
    expect((await outbox.append(readings(1))).seq).toBe(5);
  });

  it('keeps seq increasing across restarts even after every segment was acknowledged and deleted', async () => {
    let outbox = await start({ segmentBytes: 300 });
    for (let i = 0; i < 10; i += 1) {
      const { seq } = await outbox.append(readings(1, i));
      outbox.ack(seq);
    }
    await outbox.flushState();
    outbox = await restart(outbox, { segmentBytes: 300 });
    expect(await segmentFiles()).toHaveLength(1);
    expect(await drain(outbox)).toEqual([]);
    expect((await outbox.append(readings(1))).seq).toBe(10);
    expect(outbox.stats().pendingMessages).toBe(1);
  });

  it('skips and cuts off a torn last line left by a power cut', async () => {
    let outbox = await start();
    for (let i = 0; i < 3; i += 1) await outbox.append(readings(1, i));
    await outbox.stop();
    const [file] = await segmentFiles();
    const path = join(dir, file as string);
    const intact = await readFile(path, 'utf8');
    await appendFile(path, '{"v":1,"seq":3,"readings":[{"sensor":"cave-co');
    outbox = await start();
    expect((await drain(outbox)).map((m) => m.seq)).toEqual([0, 1, 2]);
    expect(await readFile(path, 'utf8')).toBe(intact);
    expect((await outbox.append(readings(1))).seq).toBe(3);
    outbox = await restart(outbox);
    expect((await drain(outbox)).map((m) => m.seq)).toEqual([0, 1, 2, 3]);
  });

  it('checks messages found on disk at start against the contract and writes off those it refuses', async () => {
    let outbox = await start();
    await outbox.append(readings(1));
    await outbox.stop();
    const [file] = await segmentFiles();
    // JSON with a seq and readings, so not torn, but not a readings message: no unit, a bad sensor id.
    const foreign = { v: 1, seq: 1, readings: [{ ...readings(1)[0], sensor: 'Cave CO2', unit: undefined }] };
    await appendFile(join(dir, file as string), `${JSON.stringify(foreign)}\n`);
    outbox = await start();
    await outbox.append(readings(1, 7));
    expect((await drain(outbox)).map((m) => m.seq)).toEqual([0, 2]);
    expect(outbox.stats()).toMatchObject({ pendingMessages: 2, droppedMessages: 1, droppedReadings: 1 });
  });

  it('drops the oldest messages past the quota, counts them and keeps the counts across restarts', async () => {
    const options = { maxBytes: 2000, segmentBytes: 500 };
    let outbox = await start(options);
    for (let i = 0; i < 40; i += 1) await outbox.append(readings(2, i));
    const stats = outbox.stats();
    expect(stats.diskBytes).toBeLessThanOrEqual(2000);
    expect(stats.droppedMessages).toBeGreaterThan(0);
    expect(stats.droppedReadings).toBe(stats.droppedMessages * 2);
    expect(stats.pendingMessages + stats.droppedMessages).toBe(40);
    const kept = (await drain(outbox)).map((m) => m.seq);
    expect(kept).toEqual(
      Array.from({ length: stats.pendingMessages }, (_, i) => 40 - stats.pendingMessages + i),
    );
    outbox = await restart(outbox, options);
    expect(outbox.stats()).toEqual(stats);
    expect((await outbox.append(readings(1))).seq).toBe(40);
  });

  it('lets a reader skip what the quota dropped under it', async () => {
    const outbox = await start({ maxBytes: 1500, segmentBytes: 400 });
    await outbox.append(readings(2));
    const cursor = outbox.cursor();
    expect((await cursor.next())?.seq).toBe(0);
    for (let i = 0; i < 30; i += 1) await outbox.append(readings(2, i));
    const next = await cursor.next();
    expect(next?.seq).toBeGreaterThan(1);
    expect(outbox.isDone((next?.seq as number) - 1)).toBe(true);
  });

  it('counts a discarded message as dropped and moves past it', async () => {
    const outbox = await start();
    await outbox.append(readings(3));
    await outbox.append(readings(1));
    outbox.discard(0, 3, 'test');
    expect(outbox.stats()).toMatchObject({ pendingMessages: 1, droppedMessages: 1, droppedReadings: 3 });
    expect((await drain(outbox)).map((m) => m.seq)).toEqual([1]);
  });

  it('deletes fully acknowledged segments but not the one being written', async () => {
    const outbox = await start({ segmentBytes: 300 });
    for (let i = 0; i < 6; i += 1) await outbox.append(readings(1, i));
    expect((await segmentFiles()).length).toBeGreaterThanOrEqual(2);
    for (let seq = 0; seq < 6; seq += 1) outbox.ack(seq);
    await outbox.flushState();
    await outbox.append(readings(1));
    await expect.poll(segmentFiles).toHaveLength(1);
  });
});
