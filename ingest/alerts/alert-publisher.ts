import type { Logger } from 'pino';
import type { LineWriter } from '../../influx/index.js';
import { type AlertEvent, alertTopic, DELIVERY, type Delivery } from '../../protocol/index.js';
import type { RetryPolicy } from '../store/retry-policy.js';
import { storeLines } from '../store/store-batch.js';
import { alertEventLine } from './alert-event.js';

/** The one way out to MQTT: resolves when the broker has confirmed the message. */
export type PublishMessage = (topic: string, payload: string, delivery: Delivery) => Promise<void>;

export interface AlertPublisherOptions {
  publish: PublishMessage;
  writer: LineWriter;
  logger: Logger;
  retry: RetryPolicy;
  signal: AbortSignal;
}

/**
 * Publishes each alert event retained on its rule's topic and records it in `alert_event`. Events go
 * out one at a time in order, off the message path: waiting here for our own PUBACK inside the
 * consumer would stall MQTT.js, which handles incoming packets one by one.
 */
export class AlertPublisher {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(private readonly options: AlertPublisherOptions) {}

  /** Events queued or in flight. */
  get pending(): number {
    return this.queued;
  }

  enqueue(events: readonly AlertEvent[]): void {
    for (const event of events) {
      this.queued++;
      this.tail = this.tail.then(() => this.send(event)).finally(() => this.queued--);
    }
  }

  /**
   * Resolves true when every queued event has been sent (or given up on, which is logged), false
   * if that takes longer than `timeoutMs` (a broker that no longer answers).
   */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.tail.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async send(event: AlertEvent): Promise<void> {
    const { logger } = this.options;
    const context = { station: event.station, rule: event.rule, state: event.state };
    try {
      await this.options.publish(alertTopic(event), JSON.stringify(event), DELIVERY.alert);
      await storeLines(this.options.writer, [alertEventLine(event)], 'ms', {
        policy: this.options.retry,
        signal: this.options.signal,
        onRetry: ({ delayMs, error }) =>
          logger.error({ ...context, delayMs, err: error }, 'alert history write failed; retrying'),
      });
      logger.info({ ...context, message: event.message }, 'alert event published');
    } catch (error) {
      logger.error({ ...context, err: error }, 'alert event not delivered');
    }
  }
}
