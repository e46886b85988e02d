import { encodePoint, GATEWAY_SEQUENCE } from '../../influx/index.js';
import type { SequenceSnapshot } from './sequence-tracker.js';

const F = GATEWAY_SEQUENCE.fields;

/**
 * Each gateway's running totals as `gateway_sequence` points at `timeMs` (ms precision). Totals, not
 * increments: a point written twice (a replay after a crash) says the same, and the change over any
 * window is the difference between the last totals before and in it.
 */
export function sequenceLines(snapshots: readonly SequenceSnapshot[], timeMs: number): string[] {
  return snapshots.map((s) =>
    encodePoint({
      measurement: GATEWAY_SEQUENCE.name,
      tags: { station: s.station, gateway: s.gateway },
      fields: {
        [F.messages]: { int: s.messages },
        [F.lastSeq]: { int: s.lastSeq },
        [F.gaps]: { int: s.gaps },
        [F.duplicates]: { int: s.duplicates },
        [F.late]: { int: s.late },
        [F.restarts]: { int: s.restarts },
        [F.conflicts]: { int: s.conflicts },
      },
      timestamp: timeMs,
    }),
  );
}
