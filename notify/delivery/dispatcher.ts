import type { Logger } from 'pino';
import type { AlertDelivery, DeliveryChannel, DeliveryOutcome } from '../../protocol/index.js';
import { type Channel, failure, type SendResult } from '../channels/channel.js';
import type { Subscribers } from '../subscribers/subscribers-schema.js';
import { deliveryRecord } from './delivery-record.js';
import type { Journal } from './journal.js';
import type { Ledger, LedgerEntry, OutcomeRecord } from './ledger.js';
import { type DeliveryRetry, decideRetry } from './retry-schedule.js';

export interface DispatcherOptions {
  ledger: Ledger;
  journal: Journal;
  channels: Readonly<Record<DeliveryChannel, Channel>>;
  retry: DeliveryRetry;
  subscribers: () => Subscribers;
  /** Hands a delivery record to MQTT; must not throw. */
  publish: (record: AlertDelivery) => void;
  logger: Logger;
  now?: () => number;
  random?: () => number;
}

export type DeliveryCounts = Record<DeliveryChannel, Record<DeliveryOutcome, number>>;

/**
 * Sends what the ledger holds as due, each notification on its own: a slow SMTP server or a webhook
 * that times out holds up only its own notification, never another contact's or channel's.
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, Promise<void>>();
  readonly counts: DeliveryCounts = {
    email: { sent: 0, retrying: 0, failed: 0 },
    webhook: { sent: 0, retrying: 0, failed: 0 },
  };

  constructor(private readonly options: DispatcherOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Starts an attempt for every due notification that has none under way. */
  run(): void {
    for (const entry of this.options.ledger.due(this.now())) {
      const id = entry.notification.id;
      if (this.inFlight.has(id)) continue;
      const attempt = this.attempt(entry).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, attempt);
    }
  }

  get sending(): number {
    return this.inFlight.size;
  }

  /** Waits for the attempts under way (a stop); their outcomes are journalled. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async attempt(entry: LedgerEntry): Promise<void> {
    const { notification } = entry;
    const subscribers = this.options.subscribers();
    const contact = subscribers.contacts.find((candidate) => candidate.name === notification.contact);
    const attempt = entry.attempts + 1;
    const firstAttemptAt = entry.firstAttemptAt ?? this.now();
    const result: SendResult =
      contact === undefined
        ? {
            ok: false,
            error: `contact ${notification.contact} is no longer in the subscribers file`,
            retryable: false,
          }
        : await this.options.channels[notification.channel]
            .send(notification, contact, subscribers)
            // Channels report failures as results; a throw is a bug, retried like a failure rather
            // than leaving the notification pending and attempted again on every tick.
            .catch((error: unknown) => failure(error, true));
    const time = this.now();
    const record = this.outcome(result, attempt, firstAttemptAt, time);
    const withId: OutcomeRecord = { id: notification.id, ...record };
    try {
      await this.options.journal.appendOutcome(withId);
    } catch (error) {
      // Unjournalled, a sent notification may be sent again after a restart; that is at-least-once.
      this.options.logger.error({ id: notification.id, err: error }, 'cannot journal a delivery outcome');
    }
    this.options.ledger.apply(withId);
    this.counts[notification.channel][record.outcome]++;
    this.report(entry, withId);
  }

  private outcome(
    result: SendResult,
    attempt: number,
    firstAttemptAt: number,
    time: number,
  ): Omit<OutcomeRecord, 'id'> {
    if (result.ok) return { outcome: 'sent', attempt, time, firstAttemptAt };
    const base = { attempt, time, firstAttemptAt, error: result.error };
    if (!result.retryable) return { outcome: 'failed', ...base };
    const decision = decideRetry({
      attempt,
      firstAttemptAt,
      now: time,
      policy: this.options.retry,
      ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }),
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
    });
    return 'giveUp' in decision
      ? { outcome: 'failed', ...base }
      : { outcome: 'retrying', ...base, retryAt: decision.retryAt };
  }

  private report(entry: LedgerEntry, record: OutcomeRecord): void {
    const n = entry.notification;
    const context = {
      id: n.id,
      station: n.station,
      rule: n.rule,
      since: n.since,
      reason: n.reason,
      contact: n.contact,
      channel: n.channel,
      route: n.route,
      outcome: record.outcome,
      attempt: record.attempt,
      ...(record.error === undefined ? {} : { error: record.error }),
      ...(record.retryAt === undefined ? {} : { retryInMs: record.retryAt - record.time }),
    };
    const level = record.outcome === 'sent' ? 'info' : record.outcome === 'retrying' ? 'warn' : 'error';
    this.options.logger[level](context, `notification ${record.outcome}`);
    this.options.publish(deliveryRecord(n, record.outcome, record.attempt, record.time, record.error));
  }
}
