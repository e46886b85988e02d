import type { SEQUENCE_TOTALS } from '../../queries/completeness-query.js';

/** What a gateway's messages did in one window, from the ingest's running totals. */
export type MessageCounts = Readonly<Record<(typeof SEQUENCE_TOTALS)[number], number>>;

/**
 * How much a running total grew from `before` to `after`. A total that fell was counted from 0 again
 * (the ingest lost its sequence state), so all of `after` happened since: that is the change.
 */
export function totalChange(before: number, after: number): number {
  return after >= before ? after - before : after;
}

function changeOf(before: MessageCounts, after: MessageCounts): MessageCounts {
  return {
    messages: totalChange(before.messages, after.messages),
    duplicates: totalChange(before.duplicates, after.duplicates),
    late: totalChange(before.late, after.late),
  };
}

const NOTHING_YET: MessageCounts = { messages: 0, duplicates: 0, late: 0 };

/**
 * Each window's change of the totals: its last totals minus the last ones before it (`baseline`
 * for the first window; none at all means the gateway's counting began in the range, from 0). A
 * window without totals is null, and the next window with totals takes up what happened since the
 * last ones.
 */
export function windowChanges(
  baseline: MessageCounts | undefined,
  lastInWindow: readonly (MessageCounts | undefined)[],
): (MessageCounts | null)[] {
  let before = baseline ?? NOTHING_YET;
  return lastInWindow.map((after) => {
    if (after === undefined) return null;
    const change = changeOf(before, after);
    before = after;
    return change;
  });
}
