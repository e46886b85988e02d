import { describe, expect, it } from 'vitest';
import { SEQUENCE_WINDOW, SequenceTracker } from '../../../ingest/sequence/sequence-tracker.js';

const gw = { station: 'jinfo', gateway: 'cave-gw-1' };

function feed(tracker: SequenceTracker, seqs: number[], address = gw): string[] {
  return seqs.map((seq) => tracker.record(address, seq));
}

describe('SequenceTracker', () => {
  it('counts an unbroken run as messages without gaps', () => {
    const tracker = new SequenceTracker();
    expect(feed(tracker, [5, 6, 7])).toEqual(['first', 'next', 'next']);
    expect(tracker.snapshot(gw)).toEqual({
      station: 'jinfo',
      gateway: 'cave-gw-1',
      messages: 3,
      lastSeq: 7,
      gaps: 0,
      duplicates: 0,
      late: 0,
      restarts: 0,
      conflicts: 0,
    });
  });

  it('does not count numbers before the first message seen as a gap', () => {
    const tracker = new SequenceTracker();
    feed(tracker, [1000]);
    expect(tracker.snapshot(gw)?.gaps).toBe(0);
  });

  it('sums missing seq numbers over several gaps', () => {
    const tracker = new SequenceTracker();
    expect(feed(tracker, [1, 2, 5, 6, 10])).toEqual(['first', 'next', 'gap', 'next', 'gap']);
    expect(tracker.snapshot(gw)).toMatchObject({ messages: 5, lastSeq: 10, gaps: 5 });
  });

  it('a late arrival fills its gap instead of counting twice', () => {
    const tracker = new SequenceTracker();
    expect(feed(tracker, [1, 4, 2])).toEqual(['first', 'gap', 'late']);
    expect(tracker.snapshot(gw)).toMatchObject({ gaps: 1, late: 1, duplicates: 0, lastSeq: 4 });
    expect(feed(tracker, [2])).toEqual(['duplicate']);
  });

  it('counts redelivered seq numbers as duplicates', () => {
    const tracker = new SequenceTracker();
    expect(feed(tracker, [1, 2, 3, 3, 2, 4])).toEqual([
      'first',
      'next',
      'next',
      'duplicate',
      'duplicate',
      'next',
    ]);
    expect(tracker.snapshot(gw)).toMatchObject({ messages: 6, duplicates: 2, gaps: 0, lastSeq: 4 });
  });

  it('counts a fall back to 0 or 1 as a restart and continues from there', () => {
    const tracker = new SequenceTracker();
    expect(feed(tracker, [0, 1, 2, 3, 0, 1, 2])).toEqual([
      'first',
      'next',
      'next',
      'next',
      'restart',
      'next',
      'next',
    ]);
    expect(tracker.snapshot(gw)).toMatchObject({ restarts: 1, duplicates: 0, gaps: 0, lastSeq: 2 });
    expect(feed(tracker, [1])).toEqual(['duplicate']);
  });

  it('counts older numbers it never saw as late, as a resumed session delivers its backlog', () => {
    const tracker = new SequenceTracker();
    feed(tracker, [500, 501]);
    expect(feed(tracker, [17, 18, 502])).toEqual(['late', 'late', 'next']);
    expect(tracker.snapshot(gw)).toMatchObject({ restarts: 0, late: 2, gaps: 0, lastSeq: 502 });
  });

  it('treats a fall to 0 or 1 as a gateway starting over', () => {
    const tracker = new SequenceTracker();
    feed(tracker, [500, 501]);
    expect(feed(tracker, [0, 1])).toEqual(['restart', 'next']);
    expect(tracker.snapshot(gw)).toMatchObject({ restarts: 1, lastSeq: 1 });
  });

  it('keeps gateways apart', () => {
    const tracker = new SequenceTracker();
    const other = { station: 'xuefeng', gateway: 'cave-gw-1' };
    feed(tracker, [1, 2]);
    feed(tracker, [1, 5], other);
    expect(tracker.snapshot(gw)).toMatchObject({ gaps: 0, messages: 2 });
    expect(tracker.snapshot(other)).toMatchObject({ gaps: 3, messages: 2 });
    expect(tracker.snapshots().map((s) => s.station)).toEqual(['jinfo', 'xuefeng']);
    expect(tracker.snapshot({ station: 'jinfo', gateway: 'nobody' })).toBeUndefined();
  });

  it('counts a gap larger than its window without remembering every number', () => {
    const tracker = new SequenceTracker();
    feed(tracker, [1, 2 + SEQUENCE_WINDOW * 10]);
    expect(tracker.snapshot(gw)?.gaps).toBe(SEQUENCE_WINDOW * 10);
  });

  it('forgets seq numbers older than its window, so memory stays bounded', () => {
    const tracker = new SequenceTracker();
    const run = Array.from({ length: SEQUENCE_WINDOW + 10 }, (_, i) => i + 2);
    feed(tracker, run);
    expect(feed(tracker, [SEQUENCE_WINDOW + 11])).toEqual(['duplicate']);
    // 5 has left the window: it can no longer be told from a late arrival.
    expect(feed(tracker, [5])).toEqual(['late']);
  });
});
