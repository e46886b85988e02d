import type { DeliveryOutcome } from '../../protocol/index.js';
import type { Notification } from '../planning/notification.js';

export type DeliveryStatus = 'pending' | DeliveryOutcome;

/** A notification and how far its delivery got. */
export interface LedgerEntry {
  notification: Notification;
  status: DeliveryStatus;
  attempts: number;
  firstAttemptAt?: number;
  /** When to try (again); meaningful while pending or retrying. */
  dueAt: number;
  lastError?: string;
}

/** An attempt's outcome as the journal keeps it. */
export interface OutcomeRecord {
  id: string;
  outcome: DeliveryOutcome;
  attempt: number;
  time: number;
  firstAttemptAt: number;
  retryAt?: number;
  error?: string;
}

function unfinished(entry: LedgerEntry): boolean {
  return entry.status === 'pending' || entry.status === 'retrying';
}

/** Every notification planned and its delivery state, in memory; the journal makes it durable. */
export class Ledger {
  private readonly entries = new Map<string, LedgerEntry>();
  private plannedCache: Notification[] | undefined;
  /** `planned()` by rule (`station/rule`), so a pass for one rule does not read them all. */
  private byRuleCache: Map<string, Notification[]> | undefined;

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get(id: string): LedgerEntry | undefined {
    return this.entries.get(id);
  }

  add(notification: Notification): void {
    if (this.entries.has(notification.id)) return;
    this.entries.set(notification.id, {
      notification,
      status: 'pending',
      attempts: 0,
      dueAt: notification.plannedAt,
    });
    this.plannedCache = undefined;
    this.byRuleCache = undefined;
  }

  apply(record: OutcomeRecord): void {
    const entry = this.entries.get(record.id);
    if (entry === undefined) return;
    entry.status = record.outcome;
    entry.attempts = Math.max(entry.attempts, record.attempt);
    entry.firstAttemptAt = record.firstAttemptAt;
    if (record.retryAt !== undefined) entry.dueAt = record.retryAt;
    if (record.error !== undefined) entry.lastError = record.error;
  }

  planned(): readonly Notification[] {
    this.plannedCache ??= [...this.entries.values()].map((entry) => entry.notification);
    return this.plannedCache;
  }

  /** The planned notifications of these rules. */
  plannedOf(rules: readonly { station: string; rule: string }[]): Notification[] {
    if (this.byRuleCache === undefined) {
      this.byRuleCache = new Map();
      for (const notification of this.planned()) {
        const key = `${notification.station}/${notification.rule}`;
        const list = this.byRuleCache.get(key);
        if (list === undefined) this.byRuleCache.set(key, [notification]);
        else list.push(notification);
      }
    }
    const byRule = this.byRuleCache;
    return rules.flatMap(({ station, rule }) => byRule.get(`${station}/${rule}`) ?? []);
  }

  due(now: number): LedgerEntry[] {
    return [...this.entries.values()].filter((entry) => unfinished(entry) && entry.dueAt <= now);
  }

  counts(): { pending: number; retrying: number } {
    let pending = 0;
    let retrying = 0;
    for (const entry of this.entries.values()) {
      if (entry.status === 'pending') pending++;
      if (entry.status === 'retrying') retrying++;
    }
    return { pending, retrying };
  }

  get size(): number {
    return this.entries.size;
  }

  /** Forgets what compaction drops (see `kept`), so memory stays as small as the journal. */
  prune(): LedgerEntry[] {
    const kept = this.kept();
    const keep = new Set(kept.map((entry) => entry.notification.id));
    for (const id of this.entries.keys()) if (!keep.has(id)) this.entries.delete(id);
    this.plannedCache = undefined;
    this.byRuleCache = undefined;
    return kept;
  }

  /**
   * What compaction keeps: every unfinished entry, and per rule and route what planning still reads,
   * the last "cleared" and everything after it. Older episodes are over and told.
   */
  kept(): LedgerEntry[] {
    const lastClear = new Map<string, number>();
    for (const { notification: n } of this.entries.values()) {
      if (n.reason !== 'clear') continue;
      const key = `${n.station}/${n.rule}/${n.route}`;
      lastClear.set(key, Math.max(lastClear.get(key) ?? Number.NEGATIVE_INFINITY, n.since));
    }
    return [...this.entries.values()].filter((entry) => {
      const n = entry.notification;
      const cleared = lastClear.get(`${n.station}/${n.rule}/${n.route}`) ?? Number.NEGATIVE_INFINITY;
      return unfinished(entry) || n.since >= cleared;
    });
  }
}
