import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownsTopic, PartitionSchema } from '../../../ingest/partition.js';
import { SequenceJournal, sequenceNote } from '../../../ingest/sequence/sequence-journal.js';
import { SequenceTracker } from '../../../ingest/sequence/sequence-tracker.js';
import { Spool, SpoolConfigSchema } from '../../../ingest/spool/spool.js';
import { tempDir } from '../../harness/temp-dir.js';

const gw = { station: 'jinfo', gateway: 'cave-gw-1' };

async function openSpool(dir: string) {
  const spool = new Spool(join(dir, 'spool'), SpoolConfigSchema.parse({ fsync: 'never', segmentBytes: 64 }));
  await spool.open();
  return spool;
}

/** What the ingest does per message: the note goes into the spool, then the tracker counts it. */
function take(spool: Spool, tracker: SequenceTracker, seq: number): void {
  spool.append(`reading value=${seq} ${seq}\n${sequenceNote(gw, seq, 0)}`);
  tracker.record(gw, seq);
}

describe('SequenceJournal', () => {
  it('restores the tracker after a crash from its last snapshot and the notes written since', async () => {
    const dir = tempDir('fs-journal');
    const spool = await openSpool(dir);
    const journal = new SequenceJournal(join(dir, 'sequences.json'), spool);
    const tracker = await journal.restore();
    for (const seq of [1, 2, 3, 5]) take(spool, tracker, seq);
    await journal.snapshot(tracker);
    for (const seq of [6, 4, 6]) take(spool, tracker, seq);
    // kill -9 here: no close, no further snapshot.
    const restored = await new SequenceJournal(join(dir, 'sequences.json'), await openSpool(dir)).restore();
    expect(restored.snapshots()).toEqual(tracker.snapshots());
    expect(restored.snapshot(gw)).toMatchObject({ messages: 7, lastSeq: 6, gaps: 0, late: 1, duplicates: 1 });
    expect(restored.record(gw, 6)).toBe('duplicate');
    expect(restored.record(gw, 7)).toBe('next');
  });

  it('keeps the seen and missing numbers across a snapshot, so late and duplicate stay right', () => {
    const tracker = new SequenceTracker();
    for (const seq of [1, 2, 5, 6]) tracker.record(gw, seq);
    const copy = SequenceTracker.fromState(tracker.exportState());
    expect(copy.record(gw, 3)).toBe('late');
    expect(copy.record(gw, 2)).toBe('duplicate');
    expect(copy.snapshot(gw)).toMatchObject({ gaps: 1, late: 1, duplicates: 1 });
  });
});

describe('partitions', () => {
  it('parses i/n and refuses what cannot be one', () => {
    expect(PartitionSchema.parse('1/2')).toEqual({ index: 1, count: 2 });
    for (const bad of ['2/2', '0/0', 'a/b', '1']) expect(PartitionSchema.safeParse(bad).success).toBe(false);
  });

  it('gives every gateway to exactly one of n ingests, and topics that name none to the first', () => {
    const partitions = [0, 1, 2].map((index) => ({ index, count: 3 }));
    const owners = Array.from({ length: 300 }, (_, i) => `fs/v1/jinfo/gw-${i}/readings`).map(
      (topic) => partitions.filter((partition) => ownsTopic(topic, partition)).length,
    );
    expect(owners.every((count) => count === 1)).toBe(true);
    const shares = partitions.map(
      (partition) =>
        Array.from({ length: 300 }, (_, i) => `fs/v1/jinfo/gw-${i}/readings`).filter((topic) =>
          ownsTopic(topic, partition),
        ).length,
    );
    for (const share of shares) expect(share).toBeGreaterThan(60);
    expect(ownsTopic('fs/v1/jinfo/gw-1/health', partitions[1] ?? { index: 1, count: 3 })).toBe(
      ownsTopic('fs/v1/jinfo/gw-1/readings', partitions[1] ?? { index: 1, count: 3 }),
    );
    expect(partitions.map((partition) => ownsTopic('not/ours', partition))).toEqual([true, false, false]);
  });
});
