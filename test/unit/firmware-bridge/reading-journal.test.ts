import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReadingIntake } from '../../../firmware-bridge/outbox/reading-intake.js';
import { ReadingJournal } from '../../../firmware-bridge/outbox/reading-journal.js';
import type { Reading } from '../../../protocol/index.js';

const T0 = Date.UTC(2026, 0, 1);
const reading = (i: number): Reading => ({
  sensor: 'cave-t-1',
  quantity: 'temperature',
  unit: 'Cel',
  value: i,
  time: T0 + i * 1000,
  qc: 1,
});

describe('ReadingJournal', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-journal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives back, after a restart, the groups that were never released, in order', async () => {
    const journal = new ReadingJournal({ dir });
    expect(await journal.recover()).toEqual([]);
    const [a, b, c] = await Promise.all([
      journal.record([reading(1), reading(2)]),
      journal.record([reading(3)]),
      journal.record([reading(4)]),
    ]);
    journal.release(b as number);
    await journal.stop();

    const again = new ReadingJournal({ dir });
    expect(await again.recover()).toEqual([
      { group: a, readings: [reading(1), reading(2)] },
      { group: c, readings: [reading(4)] },
    ]);
    await again.clear();
    expect(await new ReadingJournal({ dir }).recover()).toEqual([]);
  });

  it('passes over a line torn by a crash mid-write', async () => {
    const journal = new ReadingJournal({ dir });
    await journal.recover();
    await journal.record([reading(1)]);
    await journal.stop();
    const [file] = await readdir(dir);
    await appendFile(join(dir, file as string), '{"group":1,"readings":[{"sen');
    expect(await new ReadingJournal({ dir }).recover()).toEqual([{ group: 0, readings: [reading(1)] }]);
  });

  it('deletes a full file once every group in it is released', async () => {
    const journal = new ReadingJournal({ dir, fileBytes: 10 });
    await journal.recover();
    const first = await journal.record([reading(1)]);
    const second = await journal.record([reading(2)]);
    expect(await readdir(dir)).toHaveLength(2);
    journal.release(first);
    await journal.record([reading(3)]);
    journal.release(second);
    await journal.stop();
    expect(await readdir(dir)).toHaveLength(1);
  });
});

describe('ReadingIntake', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-intake-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function intake(messages: Reading[][], stored: Reading[]) {
    return new ReadingIntake({
      journal: new ReadingJournal({ dir }),
      messages: { append: async (readings) => messages.push([...readings]) },
      batch: { maxReadings: 2, maxDelayMs: 3_600_000 },
      stored: (readings) => stored.push(...readings),
      lost: (_readings, error) => {
        throw error;
      },
    });
  }

  it('says a reading is stored once it is journaled, and batches it at stop', async () => {
    const messages: Reading[][] = [];
    const stored: Reading[] = [];
    const stage = intake(messages, stored);
    await stage.start();
    for (const i of [1, 2, 3]) stage.take(reading(i));
    await stage.stop();
    expect(stored).toEqual([reading(1), reading(2), reading(3)]);
    expect(messages).toEqual([[reading(1), reading(2)], [reading(3)]]);
    expect(await new ReadingJournal({ dir }).recover()).toEqual([]);
  });

  it('batches at start what a killed gateway had journaled and not batched', async () => {
    const journal = new ReadingJournal({ dir });
    await journal.recover();
    await journal.record([reading(1), reading(2), reading(3)]);
    // No stop(): the process is gone, its file handle with it.

    const messages: Reading[][] = [];
    const stage = intake(messages, []);
    expect(await stage.start()).toBe(3);
    expect(messages).toEqual([[reading(1), reading(2)], [reading(3)]]);
    await stage.stop();
    expect(await new ReadingJournal({ dir }).recover()).toEqual([]);
  });
});
