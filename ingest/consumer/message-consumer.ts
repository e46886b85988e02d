import type { IPublishPacket, MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Delivery } from '../../protocol/index.js';
import type { MqttConsumerConfig } from '../config.js';
import type { IncomingMessage } from '../pipeline/ingest-message.js';
import { AckHold } from './ack-hold.js';
import { ConsumerError, openSession } from './open-session.js';
import { StallWatch } from './stall-watch.js';
import { StalledMessages } from './stalled-messages.js';

/** Resolves when the message may be acknowledged; rejecting leaves it unacknowledged for redelivery. */
export type HandleMessage = (message: IncomingMessage) => Promise<void>;

/** Long enough for any write InfluxDB accepts; retries count as progress, so an outage is no stall. */
export const DEFAULT_STALL_TIMEOUT_MS = 120_000;

/** How long a stop waits for the message in hand before it leaves it to the broker. */
const STOP_SETTLE_MS = 10_000;

export interface MessageConsumerOptions {
  config: MqttConsumerConfig;
  logger: Logger;
  handle: HandleMessage;
  /**
   * Makes what the handled messages appended durable (the spool's flush); a PUBACK leaves only after
   * it returned, and it throws when it cannot. PUBACKs of one turn leave together after one call.
   */
  makeDurable(): void;
  /** A message in hand this long with no progress restarts the consumer (see `progress`). */
  stallTimeoutMs?: number;
  now?: () => number;
}

export type ConsumerHealth = { ok: true } | { ok: false; reason: string };

interface InHand {
  topic: string;
  payload: Uint8Array;
}

/**
 * The MQTT side of the ingest. MQTT.js sends a PUBACK when `handleMessage` calls back and reads the
 * next packet only then, so acknowledging after the write to InfluxDB gives both at-least-once
 * storage and back-pressure: while a write waits, the broker keeps the rest queued. The price is that
 * one message that never settles stops everything behind it, so a watchdog looks at the message in
 * hand; when it has stalled, the connection is dropped (the message stays queued on the broker), a new
 * one opened, and the message quarantined when it comes back (`stalledBefore`).
 */
export class MessageConsumer {
  private client: MqttClient | undefined;
  /** Messages are handled one at a time per connection; a connection abandoned by the watchdog keeps its own. */
  private inHand: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly watch: StallWatch<InHand>;
  private readonly stalledMessages = new StalledMessages();
  private readonly acks: AckHold;
  private watchdog: NodeJS.Timeout | undefined;
  private stalledReason: string | undefined;
  private restarting = false;
  /** Which connection's message the watch is on: one abandoned by the watchdog may still finish late. */
  private generation = 0;
  /** Times the watchdog found the consumer stalled and restarted it. */
  stalls = 0;

  constructor(private readonly options: MessageConsumerOptions) {
    this.watch = new StallWatch(options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS);
    this.acks = new AckHold({
      makeDurable: options.makeDurable,
      onError: (error) =>
        options.logger.error(
          { err: error },
          'handled messages could not be made durable: their PUBACKs wait (the broker keeps them queued)',
        ),
    });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async start(): Promise<void> {
    this.client = await this.open();
    const limitMs = this.options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    this.watchdog = setInterval(() => this.checkStall(), Math.max(50, Math.min(5000, limitMs / 4)));
    this.watchdog.unref();
  }

  private open(): Promise<MqttClient> {
    const generation = ++this.generation;
    let inHand = Promise.resolve();
    this.inHand = inHand;
    return openSession({
      config: this.options.config,
      logger: this.options.logger,
      acks: this.acks,
      // One message at a time, even across a reconnect, where MQTT.js starts a new packet pump.
      receive: (packet, done) => {
        inHand = inHand.then(() => this.receive(generation, packet, done));
        this.inHand = inHand;
      },
    });
  }

  /** Publishes through the consumer's connection; resolves on the broker's PUBACK. */
  async publish(topic: string, payload: string, delivery: Delivery): Promise<void> {
    if (this.client === undefined)
      throw new ConsumerError('MQTT_NOT_CONNECTED', 'the ingest consumer is stopped');
    await this.client.publishAsync(topic, payload, { qos: delivery.qos, retain: delivery.retain });
  }

  /** The message in hand is making progress though it is not done (a write will be retried). */
  progress(): void {
    this.watch.progress(this.now());
  }

  private async receive(
    generation: number,
    packet: IPublishPacket,
    done: (error?: Error) => void,
  ): Promise<void> {
    if (this.stopping || generation !== this.generation) return;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const stalledBefore = this.stalledMessages.take(packet.topic, payload);
    this.watch.begin({ topic: packet.topic, payload }, this.now());
    try {
      await this.options.handle({
        topic: packet.topic,
        payload,
        retained: packet.retain,
        ...(stalledBefore ? { stalledBefore } : {}),
      });
    } catch (error) {
      this.options.logger.info(
        { topic: packet.topic, err: error },
        'message left unacknowledged for redelivery',
      );
      return;
    } finally {
      if (generation === this.generation) this.watch.end();
    }
    if (generation !== this.generation) return;
    this.stalledReason = undefined;
    done();
  }

  private checkStall(): void {
    if (this.stopping || this.restarting) return;
    const stall = this.watch.stalled(this.now());
    if (stall === undefined) return;
    const { topic, payload } = stall.inHand;
    this.stalls++;
    this.stalledReason = `the ingest consumer stalled on a message from ${topic} (${Math.round(stall.idleMs / 1000)} s without progress) and was restarted; the message is quarantined when the broker delivers it again`;
    this.options.logger.error(
      { topic, idleMs: stall.idleMs, stalls: this.stalls },
      'ingest consumer stalled; restarting it',
    );
    this.stalledMessages.remember(topic, payload);
    this.watch.end();
    void this.restart();
  }

  /**
   * Drops the stalled connection without waiting for its message (it stays unacknowledged, so the
   * broker delivers it again) and opens a new one with a fresh packet pump.
   */
  private async restart(): Promise<void> {
    this.restarting = true;
    const stalled = this.client;
    this.client = undefined;
    try {
      await stalled?.endAsync(true);
      if (this.stopping) return;
      this.client = await this.open();
    } catch (error) {
      this.options.logger.error({ err: error }, 'the ingest consumer could not be restarted; trying again');
      if (!this.stopping) setTimeout(() => void this.restart(), 1000).unref();
      return;
    } finally {
      this.restarting = false;
    }
  }

  /**
   * Resolves when the message in hand is acknowledged or given up (the caller aborts its retries),
   * or after `STOP_SETTLE_MS` if it never settles (a stalled handler): a stop must not hang on it,
   * and the message stays unacknowledged for redelivery either way.
   */
  async settle(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      this.inHand.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), STOP_SETTLE_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    if (!settled) {
      this.options.logger.warn(
        { waitedMs: STOP_SETTLE_MS },
        'the message in hand did not settle; stopping without it (the broker delivers it again)',
      );
    }
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  /** For /healthz: failing while the consumer is disconnected, or stalled until it acknowledges again. */
  health(): ConsumerHealth {
    if (this.stalledReason !== undefined) return { ok: false, reason: this.stalledReason };
    if (!this.connected)
      return { ok: false, reason: 'the ingest is not connected to the broker; reconnecting' };
    return { ok: true };
  }

  /**
   * Lets the message in hand finish, leaves any later one for redelivery, then disconnects; the
   * session and its queue stay on the broker.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.watchdog);
    await this.settle();
    const client = this.client;
    this.client = undefined;
    // Always a forced end (the socket is closed without DISCONNECT): a message may arrive up to the
    // last moment and is then left without PUBACK, after which MQTT.js reads nothing more and a clean
    // end would wait forever for the socket to drain. The persistent session and its queue stay on
    // the broker either way, and the ingest has no Last Will to trigger.
    if (client !== undefined) await client.endAsync(true);
  }
}

export { ConsumerError };
