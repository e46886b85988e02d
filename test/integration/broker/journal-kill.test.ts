import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeFrame, encodeRecord } from '../../../broker/persistence/journal/journal-format.js';
import { replayJournal } from '../../../broker/persistence/journal/journal-replay.js';
import { journalFile, openJournalStorage } from '../../../broker/persistence/journal/journal-storage.js';
import { REPO_ROOT } from '../../harness/cli-process.js';

// The broker's journal killed with SIGKILL while it appends: frames of many MiB each, the kill sent
// as a frame is about to be written, so it often lands inside the write and leaves a torn frame.
// What was confirmed must be there after replay, in order and without holes; a torn tail is cut off
// and counted; appending resumes after it. Whether a kill tears a frame is up to the scheduler, so a
// half frame is also appended by hand, as a crash in mid-write leaves it.

const CHILD = join(REPO_ROOT, 'test', 'integration', 'broker', 'journal-writer-child.ts');
const PAYLOAD_BYTES = 256 * 1024;
const BATCH = 16;
const KILLS = 3;
/** Three children started through tsx: on a machine busy with other work each start takes seconds. */
const TIMEOUT_MS = 180_000;

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-journal-kill-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the appending child until it queues its `batches`-th batch, kills it then, returns the last confirmed counter. */
async function appendAndKill(journalDir: string, batches: number): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, journalDir, String(PAYLOAD_BYTES), String(BATCH)],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let confirmed = 0;
  let seen = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    const [event, counter] = line.split(' ');
    if (event === 'confirmed') confirmed = Number(counter);
    if (event === 'queued' && ++seen === batches) {
      child.kill('SIGKILL');
      break;
    }
  }
  await exited;
  return confirmed;
}

function queuedCounters(state: Awaited<ReturnType<typeof replayJournal>>['state']): number[] {
  return state.queued('sub').map((packet) => packet.brokerCounter ?? -1);
}

describe('the broker journal killed with SIGKILL in mid-append', () => {
  it(
    'keeps every confirmed message, cuts and counts a torn tail, and appends after it',
    async () => {
      const journalDir = join(dir, 'journal');
      const file = journalFile(journalDir);
      let tornTotal = 0;
      let previous: number[] = [];
      for (let kill = 1; kill <= KILLS; kill++) {
        const confirmed = await appendAndKill(journalDir, 1 + kill);
        const sizeAfterKill = (await stat(file)).size;
        const replayed = await replayJournal(file);
        tornTotal += replayed.tornBytes;
        expect(replayed.intactBytes + replayed.tornBytes).toBe(sizeAfterKill);
        expect((await stat(file)).size).toBe(replayed.intactBytes);
        const counters = queuedCounters(replayed.state);
        // Every run counts from 1 again, after what the earlier runs left, which stays as it was.
        expect(counters.slice(0, previous.length)).toEqual(previous);
        const thisRun = counters.slice(previous.length);
        expect(thisRun.length).toBeGreaterThanOrEqual(confirmed);
        expect(thisRun).toEqual(Array.from({ length: thisRun.length }, (_, i) => i + 1));
        previous = counters;
      }
      const half = encodeFrame(encodeRecord({ t: 'clear', client: 'sub', messageId: 1 }).repeat(100));
      await appendFile(file, half.subarray(0, half.length >> 1));
      const storage = await openJournalStorage(
        {
          type: 'journal',
          dir: journalDir,
          fsync: 'always',
          fsyncIntervalMs: 1000,
          compactAfterBytes: 2 ** 40,
        },
        pino({ level: 'silent' }),
      );
      const store = storage.persistence as unknown as {
        setup(broker: { id: string }): Promise<void>;
        outgoingEnqueueCombi(subs: { clientId: string }[], packet: object): Promise<void>;
      };
      await store.setup({ id: 'after' });
      await store.outgoingEnqueueCombi([{ clientId: 'sub' }], {
        cmd: 'publish',
        brokerId: 'after',
        brokerCounter: 0,
        topic: 't',
        payload: Buffer.from('last'),
        qos: 1,
      });
      await storage.close();
      const final = await replayJournal(file);
      expect(final.tornBytes).toBe(0);
      expect(final.state.queued('sub')).toHaveLength(previous.length + 1);
      expect(final.state.queued('sub').at(-1)?.payload?.toString()).toBe('last');
      console.info(`journal kill test: ${KILLS} kills left ${tornTotal} torn bytes in all`);
    },
    TIMEOUT_MS,
  );
});
