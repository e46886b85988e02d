import type { AlertAck, AlertEvent, AlertSilence } from '../../protocol/index.js';

/** What the notifier knows of one rule: its last event, acknowledgement, silence and recent changes. */
export interface RuleRecord {
  event: AlertEvent | undefined;
  ack: AlertAck | undefined;
  silence: AlertSilence | undefined;
  /** Arrival times (epoch ms) of the last state changes, oldest first: what flapping is judged on. */
  changes: readonly number[];
}

const KEPT_CHANGES = 50;

export interface RuleAddress {
  station: string;
  rule: string;
}

export function ruleKey(address: RuleAddress): string {
  return `${address.station}/${address.rule}`;
}

function emptyRecord(): RuleRecord {
  return { event: undefined, ack: undefined, silence: undefined, changes: [] };
}

/**
 * The alert state the retained messages describe, rule by rule. No I/O and no clock of its own: the
 * caller says when a message arrived.
 */
export class AlertBook {
  private readonly records = new Map<string, RuleRecord>();

  get(key: string): RuleRecord | undefined {
    return this.records.get(key);
  }

  entries(): IterableIterator<[string, RuleRecord]> {
    return this.records.entries();
  }

  /** The records of these rules, those the book has. */
  only(rules: readonly RuleAddress[]): [string, RuleRecord][] {
    return rules.flatMap((rule) => {
      const key = ruleKey(rule);
      const record = this.records.get(key);
      return record === undefined ? [] : [[key, record] as [string, RuleRecord]];
    });
  }

  /**
   * Records an event; returns whether it changed the rule's state or episode. The same event again
   * (retained on resubscribe, redelivered) is no change.
   */
  recordEvent(event: AlertEvent, now: number): boolean {
    const key = ruleKey(event);
    const record = this.records.get(key) ?? emptyRecord();
    const before = record.event;
    const changed = before === undefined || before.state !== event.state || before.since !== event.since;
    const changes = changed ? [...record.changes, now].slice(-KEPT_CHANGES) : record.changes;
    this.records.set(key, { ...record, event, changes });
    return changed;
  }

  recordAck(ack: AlertAck): void {
    const key = ruleKey(ack);
    this.records.set(key, { ...(this.records.get(key) ?? emptyRecord()), ack });
  }

  /** `undefined` lifts the silence (an empty retained payload). */
  recordSilence(key: string, silence: AlertSilence | undefined): void {
    this.records.set(key, { ...(this.records.get(key) ?? emptyRecord()), silence });
  }
}
