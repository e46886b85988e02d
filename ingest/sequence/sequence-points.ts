import { encodePoint, GATEWAY_SEQUENCE, recordPoint } from '../../influx/index.js';
import type { SequenceSnapshot } from './sequence-tracker.js';

/**
 * Each gateway's running totals as `gateway_sequence` points at `timeMs` (ms precision). Totals, not
 * increments: a point written twice (a replay after a crash) says the same, and the change over any
 * window is the difference between the last totals before and in it.
 */
export function sequenceLines(snapshots: readonly SequenceSnapshot[], timeMs: number): string[] {
  return snapshots.map((s) =>
    encodePoint(
      recordPoint(GATEWAY_SEQUENCE, {
        tags: { station: s.station, gateway: s.gateway },
        fields: {
          messages: { int: s.messages },
          lastSeq: { int: s.lastSeq },
          gaps: { int: s.gaps },
          duplicates: { int: s.duplicates },
          late: { int: s.late },
          restarts: { int: s.restarts },
          conflicts: { int: s.conflicts },
        },
        timestamp: timeMs,
      }),
    ),
  );
}
