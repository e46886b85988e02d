import { join } from 'node:path';
import type { IPublishPacket, MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { type AlertDelivery, alertActionTopic, DELIVERY } from '../protocol/index.js';
import { EmailChannel } from './channels/email-channel.js';
import { WebhookChannel } from './channels/webhook-channel.js';
import type { NotifyConfig } from './config.js';
import { type DeliveryCounts, Dispatcher } from './delivery/dispatcher.js';
import { Journal } from './delivery/journal.js';
import type { Ledger } from './delivery/ledger.js';
import { type AlertMessage, decodeAlertMessage } from './mqtt/decode-alert-message.js';
import { openNotifySession } from './mqtt/notify-session.js';
import { AlertBook, type RuleAddress, ruleKey } from './planning/alert-book.js';
import type { NotificationReason } from './planning/notification.js';
import { PlanningLoop } from './planning-loop.js';
import { loadSubscribers } from './subscribers/load-subscribers.js';
import type { Subscribers } from './subscribers/subscribers-schema.js';
import { SubscribersWatch } from './subscribers/watch-subscribers.js';

export interface NotifyServiceOptions {
  config: NotifyConfig;
  logger: Logger;
  now?: () => number;
  random?: () => number;
  env?: NodeJS.ProcessEnv;
}

export interface NotifyStats {
  deliveries: DeliveryCounts;
  planned: Record<NotificationReason, number>;
  pending: number;
  retrying: number;
  sending: number;
  /** Alert messages received (events, acks, silences). */
  messages: number;
  invalidMessages: number;
  /** Messages whose notifications could not be journalled (disk full, read-only data dir). */
  journalFailures: number;
  /** Planning passes run: after each message and on each tick. */
  planningPasses: number;
  subscriberReloads: number;
  subscriberReloadsRejected: number;
}

/** How long a stop waits for delivery attempts under way. */
const STOP_DRAIN_MS = 5000;
/** How long a stop waits for the broker to confirm the last delivery records. */
const STOP_PUBLISH_MS = 2000;

interface Running {
  client: MqttClient;
  journal: Journal;
  ledger: Ledger;
  dispatcher: Dispatcher;
  loop: PlanningLoop;
  watch: SubscribersWatch;
  channels: { email: EmailChannel; webhook: WebhookChannel };
  ticker: NodeJS.Timeout;
}

/**
 * Alert notifications: hears alert events, acknowledgements and silences on MQTT, plans who is to be
 * told what (planning/, pure), journals each planned notification before the message that caused it
 * is acknowledged, and sends them by email and webhook with retries (delivery/, channels/).
 */
export class NotifyService {
  private readonly logger: Logger;
  private readonly book = new AlertBook();
  private subscribers: Subscribers | undefined;
  private running: Running | undefined;
  private invalidMessages = 0;
  private journalFailures = 0;
  /** Delivery records not yet confirmed by the broker (PUBACK), awaited for a moment at stop. */
  private readonly publishing = new Set<Promise<unknown>>();
  private unpublished: AlertDelivery[] = [];
  private messages = 0;

  constructor(private readonly options: NotifyServiceOptions) {
    this.logger = options.logger.child({ component: 'notify' });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async start(): Promise<void> {
    const { config } = this.options;
    this.subscribers = await loadSubscribers(config.subscribersFile);
    const journal = new Journal(join(config.dataDir, 'notify'), this.logger);
    const ledger = await journal.open();
    this.seedBook(journal);
    let client: MqttClient | undefined;
    const { channels, dispatcher, watch, loop } = this.buildParts(journal, ledger, (record) =>
      this.publishDelivery(client, record),
    );
    loop.settle();
    try {
      client = await openNotifySession({
        config: config.mqtt,
        logger: this.logger,
        receive: (packet, done) => this.receive(loop, journal, packet, done),
      });
    } catch (error) {
      await journal.close();
      throw error;
    }
    client.on('connect', () => loop.settle());
    for (const record of this.unpublished.splice(0)) this.publishDelivery(client, record);
    watch.start();
    const ticker = setInterval(() => {
      loop.run().catch((error: unknown) => this.logger.error({ err: error }, 'planning failed'));
    }, config.tickMs);
    this.running = { client, journal, ledger, dispatcher, loop, watch, channels, ticker };
    // Notifications planned before a restart and not yet sent go out now.
    dispatcher.run();
    const { pending, retrying } = ledger.counts();
    this.logger.info(
      {
        mqtt: config.mqtt.url,
        clientId: config.mqtt.clientId,
        subscribers: config.subscribersFile,
        pending,
        retrying,
      },
      'notifier started',
    );
  }

  /** The parts between MQTT and the journal; they do no I/O until they are run or started. */
  private buildParts(journal: Journal, ledger: Ledger, publish: (record: AlertDelivery) => void) {
    const { config } = this.options;
    const channels = {
      email: new EmailChannel(this.options.env),
      webhook: new WebhookChannel(this.options.now),
    };
    const dispatcher = new Dispatcher({
      ledger,
      journal,
      channels,
      retry: config.retry,
      subscribers: () => this.requireSubscribers(),
      publish,
      logger: this.logger,
      ...(this.options.now === undefined ? {} : { now: this.options.now }),
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
    });
    const watch = new SubscribersWatch({
      file: config.subscribersFile,
      logger: this.logger,
      debounceMs: config.reloadDebounceMs,
      onChange: (subscribers) => {
        this.subscribers = subscribers;
      },
    });
    const loop = new PlanningLoop({
      book: this.book,
      ledger,
      journal,
      dispatcher,
      subscribers: () => this.requireSubscribers(),
      settleMs: config.settleMs,
      logger: this.logger,
      now: () => this.now(),
    });
    return { channels, dispatcher, watch, loop };
  }

  private requireSubscribers(): Subscribers {
    if (this.subscribers === undefined) throw new Error('the notifier has no subscribers loaded');
    return this.subscribers;
  }

  private publishDelivery(client: MqttClient | undefined, record: AlertDelivery): void {
    if (client === undefined) {
      // An attempt made while the session was still being opened: published once it is.
      this.unpublished.push(record);
      return;
    }
    const topic = alertActionTopic(record, 'delivery');
    const { qos, retain } = DELIVERY.delivery;
    const published: Promise<unknown> = client
      .publishAsync(topic, JSON.stringify(record), { qos, retain })
      .catch((error: unknown) => {
        this.logger.warn({ topic, id: record.id, err: error }, 'delivery record not published');
      })
      .finally(() => this.publishing.delete(published));
    this.publishing.add(published);
  }

  private receive(
    loop: PlanningLoop,
    journal: Journal,
    packet: IPublishPacket,
    done: (error?: Error) => void,
  ): void {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const message = decodeAlertMessage(packet.topic, payload);
    // Our own delivery records come back on the same subscription: they are not counted.
    if (message.kind !== 'ignored' && message.kind !== 'invalid') this.messages++;
    if (message.kind === 'invalid') {
      this.invalidMessages++;
      this.logger.warn({ topic: packet.topic, reason: message.reason }, 'invalid alert message ignored');
    }
    // The PUBACK waits for the journal: a message acknowledged has its notifications on disk.
    this.record(message, journal)
      .then(() => loop.run(rulesOf(message)))
      .then(
        () => done(),
        (error: unknown) => {
          this.journalFailures++;
          this.logger.error(
            { topic: packet.topic, err: error, journalFailures: this.journalFailures },
            'cannot journal notifications; message left for redelivery',
          );
          // MQTT.js handles the next packet only once `done` is called: with an error it sends no
          // PUBACK (the broker redelivers at the next session) and goes on, so one failed write does
          // not stall every later message and PINGRESP. The tick plans again from the book meanwhile.
          done(error instanceof Error ? error : new Error(String(error)));
        },
      );
  }

  /** Takes a message into the book; acks and silences into the journal too (see Journal.actions). */
  private record(message: AlertMessage, journal: Journal): Promise<void> {
    switch (message.kind) {
      case 'event':
        this.book.recordEvent(message.event, this.now());
        return Promise.resolve();
      case 'ack': {
        const { station, rule, since, by } = message.ack;
        this.book.recordAck(message.ack);
        return journal
          .appendAck(message.ack)
          .then(() => this.logger.info({ station, rule, since, by }, 'acknowledgement recorded'));
      }
      case 'silence':
        this.book.recordSilence(ruleKey(message), message.silence);
        return journal
          .appendSilence(message.station, message.rule, message.silence)
          .then(() =>
            this.logger.info(
              { station: message.station, rule: message.rule, until: message.silence?.until },
              'silence recorded',
            ),
          );
      case 'invalid':
      case 'ignored':
        return Promise.resolve();
    }
  }

  /** Acks and silences heard before the restart, so none is forgotten until its retained copy comes. */
  private seedBook(journal: Journal): void {
    const { acks, silences } = journal.remembered();
    for (const ack of acks) this.book.recordAck(ack);
    for (const { station, rule, silence } of silences)
      this.book.recordSilence(ruleKey({ station, rule }), silence);
  }

  /** Gives the last delivery records a moment to reach the broker; one still in flight is logged. */
  private async settlePublishing(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      Promise.allSettled([...this.publishing]).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), STOP_PUBLISH_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    if (!settled) {
      this.logger.warn(
        { unconfirmed: this.publishing.size },
        'delivery records not confirmed by the broker at stop',
      );
    }
  }

  stats(): NotifyStats {
    const counts = this.running?.ledger.counts() ?? { pending: 0, retrying: 0 };
    return {
      deliveries: this.running?.dispatcher.counts ?? {
        email: { sent: 0, retrying: 0, failed: 0 },
        webhook: { sent: 0, retrying: 0, failed: 0 },
      },
      planned: { ...(this.running?.loop.planned ?? { firing: 0, clear: 0, repeat: 0, escalation: 0 }) },
      ...counts,
      sending: this.running?.dispatcher.sending ?? 0,
      messages: this.messages,
      invalidMessages: this.invalidMessages,
      journalFailures: this.journalFailures,
      planningPasses: this.running?.loop.passes ?? 0,
      subscriberReloads: this.running?.watch.reloads ?? 0,
      subscriberReloadsRejected: this.running?.watch.rejected ?? 0,
    };
  }

  /**
   * Stops planning, lets attempts under way finish and journal their outcome, then disconnects; the
   * session stays on the broker, and unsent notifications stay in the journal for the next start.
   */
  async stop(): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    this.running = undefined;
    clearInterval(running.ticker);
    running.watch.stop();
    await running.loop.idle();
    // An attempt still under way after this is left unfinished in the journal and made again at
    // the next start: a stop must not wait out an SMTP server's timeouts.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      running.dispatcher.drain(),
      new Promise((resolve) => {
        timer = setTimeout(resolve, STOP_DRAIN_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    await this.settlePublishing();
    await running.client.endAsync(true);
    await running.journal.close();
    running.channels.email.close();
    this.logger.info('notifier stopped');
  }
}

/** The rule a message is about, for its planning pass; none for one that changes nothing. */
function rulesOf(message: AlertMessage): RuleAddress[] {
  switch (message.kind) {
    case 'event':
      return [message.event];
    case 'ack':
      return [message.ack];
    case 'silence':
      return [message];
    case 'invalid':
    case 'ignored':
      return [];
  }
}
