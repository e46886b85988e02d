import { z } from 'zod';
import type { GatewayAddress } from '../../protocol/index.js';
import { addRecent } from './recent-window.js';

/** How one message's `seq` relates to what came before from its gateway. */
export type SequenceOutcome = 'first' | 'next' | 'gap' | 'late' | 'duplicate' | 'restart';

export interface SequenceSnapshot {
  station: string;
  gateway: string;
  messages: number;
  /** Highest seq since the gateway's last restart. */
  lastSeq: number;
  /** Seq numbers skipped and not received since: messages missing from this gateway. */
  gaps: number;
  /** Messages whose seq had been seen already (stored again; writes are idempotent). */
  duplicates: number;
  /** Messages that arrived after a later seq: filling a gap, or older than the first this ingest saw. */
  late: number;
  /** Times the seq fell back to 0 or 1, as when a gateway starts over with an empty outbox. */
  restarts: number;
  /** Readings replaced by a later reading of the same sensor, quantity, unit and time in their batch. */
  conflicts: number;
}

const Count = z.number().int().nonnegative();
/** Runs of consecutive seq numbers, [first, last]: a gateway's seen set is usually one or two runs. */
const RunsSchema = z.array(z.tuple([Count, Count]));

/** The tracker as it is kept on disk between runs (sequence-journal.ts). */
export const SequenceStateSchema = z.array(
  z.object({
    station: z.string(),
    gateway: z.string(),
    messages: Count,
    lastSeq: Count,
    gaps: z.number().int(),
    duplicates: Count,
    late: Count,
    restarts: Count,
    conflicts: Count.default(0),
    seen: RunsSchema,
    missing: RunsSchema,
  }),
);
export type SequenceState = z.infer<typeof SequenceStateSchema>;

function toRuns(set: ReadonlySet<number>): [number, number][] {
  const sorted = [...set].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const seq of sorted) {
    const last = runs.at(-1);
    if (last !== undefined && seq === last[1] + 1) last[1] = seq;
    else runs.push([seq, seq]);
  }
  return runs;
}

function fromRuns(runs: readonly (readonly [number, number])[]): Set<number> {
  const set = new Set<number>();
  for (const [first, last] of runs) for (let seq = first; seq <= last; seq++) set.add(seq);
  return set;
}

/** How many recent seq numbers are remembered per gateway to recognise duplicates and late arrivals. */
export const SEQUENCE_WINDOW = 4096;
/** A gateway that starts over numbers its first message 0 or 1. */
const RESTART_FLOOR = 1;

interface GatewaySequence extends SequenceSnapshot {
  seen: Set<number>;
  missing: Set<number>;
}

function remember(set: Set<number>, seq: number): void {
  addRecent(set, seq, SEQUENCE_WINDOW);
}

/**
 * Only 0 or 1 well behind the highest seq is a gateway starting over. Any other lower seq is an
 * older message arriving late: a resumed persistent session interleaves its backlog with new
 * messages, so a fresh tracker can meet a gateway's newer messages before its older ones.
 */
function isRestart(state: GatewaySequence, seq: number): boolean {
  return seq <= RESTART_FLOOR && state.lastSeq - seq >= 2;
}

/**
 * Per-gateway sequence bookkeeping: data completeness as the ingest sees it. Pure state, no I/O;
 * memory per gateway is bounded by SEQUENCE_WINDOW.
 */
export class SequenceTracker {
  private readonly gateways = new Map<string, GatewaySequence>();

  record(address: GatewayAddress, seq: number): SequenceOutcome {
    const key = `${address.station}/${address.gateway}`;
    const state = this.gateways.get(key);
    if (state === undefined) {
      this.gateways.set(key, this.fresh(address, seq));
      return 'first';
    }
    state.messages++;
    return this.classify(state, seq);
  }

  private fresh(address: GatewayAddress, seq: number): GatewaySequence {
    const base = { station: address.station, gateway: address.gateway, messages: 1, lastSeq: seq };
    const counts = { gaps: 0, duplicates: 0, late: 0, restarts: 0, conflicts: 0 };
    return { ...base, ...counts, seen: new Set([seq]), missing: new Set() };
  }

  private classify(state: GatewaySequence, seq: number): SequenceOutcome {
    if (seq > state.lastSeq) {
      const skipped = seq - state.lastSeq - 1;
      if (skipped <= SEQUENCE_WINDOW)
        for (let s = state.lastSeq + 1; s < seq; s++) remember(state.missing, s);
      state.gaps += skipped;
      state.lastSeq = seq;
      remember(state.seen, seq);
      return skipped > 0 ? 'gap' : 'next';
    }
    if (state.missing.delete(seq)) {
      state.gaps--;
      state.late++;
      remember(state.seen, seq);
      return 'late';
    }
    if (isRestart(state, seq)) {
      state.restarts++;
      state.lastSeq = seq;
      state.seen = new Set([seq]);
      state.missing = new Set();
      return 'restart';
    }
    if (!state.seen.has(seq)) {
      state.late++;
      remember(state.seen, seq);
      return 'late';
    }
    state.duplicates++;
    return 'duplicate';
  }

  /** Called after `record` for the same message, so the gateway is known. */
  recordConflicts(address: GatewayAddress, count: number): void {
    const state = this.gateways.get(`${address.station}/${address.gateway}`);
    if (state !== undefined) state.conflicts += count;
  }

  snapshot(address: GatewayAddress): SequenceSnapshot | undefined {
    const state = this.gateways.get(`${address.station}/${address.gateway}`);
    return state === undefined ? undefined : toSnapshot(state);
  }

  snapshots(): SequenceSnapshot[] {
    return [...this.gateways.values()].map(toSnapshot);
  }

  /** Everything needed to go on counting after a restart as if there had been none. */
  exportState(): SequenceState {
    return [...this.gateways.values()].map((state) => ({
      ...toSnapshot(state),
      seen: toRuns(state.seen),
      missing: toRuns(state.missing),
    }));
  }

  static fromState(state: SequenceState): SequenceTracker {
    const tracker = new SequenceTracker();
    for (const gateway of state) {
      tracker.gateways.set(`${gateway.station}/${gateway.gateway}`, {
        ...gateway,
        seen: fromRuns(gateway.seen.slice(-SEQUENCE_WINDOW)),
        missing: fromRuns(gateway.missing.slice(-SEQUENCE_WINDOW)),
      });
    }
    return tracker;
  }
}

function toSnapshot(state: GatewaySequence): SequenceSnapshot {
  const { seen: _seen, missing: _missing, ...snapshot } = state;
  return snapshot;
}
