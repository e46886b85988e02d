import type { Logger } from 'pino';
import type { Dispatcher } from './delivery/dispatcher.js';
import type { Journal } from './delivery/journal.js';
import type { Ledger } from './delivery/ledger.js';
import type { AlertBook, RuleAddress } from './planning/alert-book.js';
import type { Notification, NotificationReason } from './planning/notification.js';
import { planNotifications } from './planning/plan-notifications.js';
import type { Subscribers } from './subscribers/subscribers-schema.js';

export interface PlanningLoopOptions {
  book: AlertBook;
  ledger: Ledger;
  journal: Journal;
  dispatcher: Dispatcher;
  subscribers: () => Subscribers;
  settleMs: number;
  logger: Logger;
  now: () => number;
}

/**
 * The notifier's heartbeat: plans what is owed, journals it (fsynced) and only then hands it to the
 * dispatcher. Passes run one at a time, so nothing is planned twice between planning and journalling.
 */
export class PlanningLoop {
  private work: Promise<void> = Promise.resolve();
  /** Planning waits until then after a (re)connection: see NotifyConfig's `settleMs`. */
  private planFrom = 0;
  passes = 0;
  readonly planned: Record<NotificationReason, number> = { firing: 0, clear: 0, repeat: 0, escalation: 0 };

  constructor(private readonly options: PlanningLoopOptions) {}

  /** A (re)connection: the retained messages are coming; plan on them only after `settleMs`. */
  settle(): void {
    this.planFrom = this.options.now() + this.options.settleMs;
  }

  /**
   * One pass; resolves once what it planned is on disk. `rules` limits planning to the
   * rules a message is about: MQTT.js hands over the next message only once this one's pass is over,
   * so a full pass per message made a burst of n messages cost n times every rule. The tick plans all.
   */
  run(rules?: readonly RuleAddress[]): Promise<void> {
    const next = this.work.then(() => this.pass(rules));
    this.work = next.catch(() => {});
    return next;
  }

  /** Resolves when the pass under way, if any, is over. */
  idle(): Promise<void> {
    return this.work;
  }

  private async pass(rules: readonly RuleAddress[] | undefined): Promise<void> {
    const { journal, ledger, dispatcher, book } = this.options;
    const now = this.options.now();
    // While settling, what is heard is recorded and not planned on; due retries still go.
    if (now >= this.planFrom) {
      const fresh = planNotifications({
        rules: rules === undefined ? book.entries() : book.only(rules),
        subscribers: this.options.subscribers(),
        // A pass for some rules reads only their notifications (an id is unique to its rule).
        planned: rules === undefined ? ledger.planned() : ledger.plannedOf(rules),
        now,
      });
      if (fresh.length > 0) await journal.appendPlanned(fresh);
      for (const notification of fresh) this.take(notification);
      if (journal.wantsCompaction) await journal.compact(ledger);
      this.passes++;
    }
    dispatcher.run();
  }

  private take(notification: Notification): void {
    this.options.ledger.add(notification);
    this.planned[notification.reason]++;
    const { id, station, rule, since, reason, n, contact, channel, route } = notification;
    this.options.logger.info(
      { id, station, rule, since, reason, n, contact, channel, route },
      'notification planned',
    );
  }
}
