import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { type BackoffPolicy, backoffDelayMs } from '../backoff/index.js';
import {
  DELIVERY,
  EARLIEST_SAMPLE_MS,
  type GatewayAddress,
  type GatewayKind,
  type HealthInput,
  LATEST_SAMPLE_MS,
  MESSAGE_KINDS,
  type MessageInputOf,
  type SensorDescription,
  type StatusInput,
} from '../protocol/index.js';
import { type Clock, systemClock, type Timer } from './clock.js';
import { GatewayError } from './errors.js';
import type { MetaPublished } from './meta/build-meta.js';
import { type MetaOptions, prepareMeta } from './meta/prepare-meta.js';
import type { OutboxCursor } from './outbox/cursor.js';
import type { StoredMessage } from './outbox/segments.js';
import { DEFAULT_BACKOFF } from './reconnect-backoff.js';
import { Wakeup } from './wakeup.js';

/** What the publisher needs from the outbox. */
export interface OutboxPort {
  cursor(): OutboxCursor;
  ack(seq: number): void;
  onAppend(listener: () => void): () => void;
  stats(): { pendingMessages: number };
}

export interface PublisherOptions extends GatewayAddress {
  url: string;
  username?: string;
  password?: string;
  clientId?: string;
  outbox: OutboxPort;
  /** Announced in the retained online status. */
  sensors: readonly SensorDescription[];
  software?: string;
  logger: Logger;
  clock?: Clock;
  /** Readings messages published and not yet acknowledged, at most. */
  inFlightWindow?: number;
  reconnect?: BackoffPolicy;
  /** The station's, gateway's and sensors' metadata, published retained when it changed. */
  meta?: MetaOptions;
}

export interface PublishedCounts {
  messages: number;
  readings: number;
}

/** One connection: when it closes, the next one starts afresh from the outbox's oldest unacknowledged message. */
interface Session {
  readonly client: MqttClient;
  readonly wakeup: Wakeup;
  alive: boolean;
  inFlight: number;
}

const OFFLINE: StatusInput = { v: 1, state: 'offline' };
const STOP_TIMEOUT_MS = 5000;

// A clock not yet set (a Pi without RTC or NTP) must not keep the gateway from saying online or
// offline: the status, whose time is optional, then goes without one.
function statusTime(nowMs: number): number | undefined {
  return nowMs >= EARLIEST_SAMPLE_MS && nowMs <= LATEST_SAMPLE_MS ? nowMs : undefined;
}

/**
 * Serializes a status or health message after checking it against its kind's schema: these are built
 * here, from counters and config, so this is where they enter the contract.
 */
function encode<K extends 'status' | 'health'>(kind: K, message: MessageInputOf<K>): string {
  const checked = MESSAGE_KINDS[kind].schema.safeParse(message);
  if (!checked.success) {
    throw new GatewayError(
      'PAYLOAD_INVALID',
      `refusing to publish an invalid ${kind} message: ${checked.error.message}`,
    );
  }
  return JSON.stringify(message);
}

/** The gateway's one way out to MQTT: topics from the contract, QoS, retain and schema from its MESSAGE_KINDS table. */
export class Publisher {
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly topics: Record<GatewayKind, string>;
  private readonly counts: PublishedCounts = { messages: 0, readings: 0 };
  private readonly progressListeners = new Set<() => void>();
  private session: Session | undefined;
  private reconnectTimer: Timer | undefined;
  private attempt = 0;
  private stopping = false;
  private removeAppendListener: (() => void) | undefined;
  private metaLast: MetaPublished | undefined;

  constructor(private readonly options: PublisherOptions) {
    this.logger = options.logger.child({ component: 'publisher' });
    this.clock = options.clock ?? systemClock;
    this.topics = {
      readings: MESSAGE_KINDS.readings.topic(options),
      status: MESSAGE_KINDS.status.topic(options),
      health: MESSAGE_KINDS.health.topic(options),
      meta: MESSAGE_KINDS.meta.topic(options),
    };
    this.metaLast = options.meta?.last;
  }

  get connected(): boolean {
    return this.session?.alive === true && this.session.client.connected;
  }

  published(): PublishedCounts {
    return { ...this.counts };
  }

  /** Starts connecting in the background; the gateway keeps sampling into the outbox while offline. */
  start(): void {
    this.stopping = false;
    this.removeAppendListener = this.options.outbox.onAppend(() => this.session?.wakeup.notify());
    this.connect();
  }

  /** Publishes health (QoS 0): dropped, not queued, while offline. Returns whether it was sent. */
  publishHealth(health: HealthInput): boolean {
    if (!this.connected || this.session === undefined) return false;
    this.send(this.session.client, 'health', encode('health', health));
    return true;
  }

  /**
   * Waits until the outbox has nothing pending, the connection is lost, or `timeoutMs` passed. A
   * connection still being made counts as one that may yet take the messages: a gateway stopped
   * moments after a restart would otherwise leave what the killed run stored for a later start.
   */
  async drain(timeoutMs: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const check = () => {
        if (this.session?.alive === true && this.options.outbox.stats().pendingMessages > 0) return;
        done();
      };
      const timer = this.clock.setTimeout(() => done(), timeoutMs);
      const done = () => {
        this.clock.clearTimeout(timer);
        this.progressListeners.delete(check);
        resolve();
      };
      this.progressListeners.add(check);
      check();
    });
  }

  /** Publishes the retained offline status and disconnects cleanly (so the Last Will is not needed). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer !== undefined) this.clock.clearTimeout(this.reconnectTimer);
    this.removeAppendListener?.();
    const session = this.session;
    this.session = undefined;
    if (session === undefined) return;
    session.wakeup.notify();
    const online = session.alive && session.client.connected;
    session.alive = false;
    let acknowledged = false;
    if (online) {
      const offline = encode('status', { ...OFFLINE, time: statusTime(this.clock.now()) });
      const sent = new Promise<boolean>((resolve) =>
        this.send(session.client, 'status', offline, (e) => resolve(!e)),
      );
      acknowledged = await this.within(STOP_TIMEOUT_MS, sent);
    }
    // A broker that does not answer is left without DISCONNECT: its Last Will then says offline.
    await new Promise<void>((resolve) => session.client.end(!acknowledged, {}, () => resolve()));
  }

  private connect(): void {
    const { url, username, password, station, gateway } = this.options;
    const clientOptions: IClientOptions = {
      protocolVersion: 4,
      clientId: this.options.clientId ?? `fs-${station}-${gateway}`,
      clean: true,
      // Reconnects are ours: each starts a fresh session that replays the outbox in order.
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      keepalive: 30,
      // MQTT.js would otherwise build mqtt-packet's cache of 65,536 two-byte buffers (6 MB of heap,
      // kept for the process's life) to save a 2-byte allocation per packet a gateway sends a few of.
      writeCache: false,
      will: { topic: this.topics.status, payload: Buffer.from(JSON.stringify(OFFLINE)), ...DELIVERY.status },
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
    };
    const session: Session = {
      client: connect(url, clientOptions),
      wakeup: new Wakeup(),
      alive: true,
      inFlight: 0,
    };
    this.session = session;
    session.client.on('connect', () => this.onConnect(session));
    session.client.on('close', () => this.onClose(session));
    session.client.on('error', (error) => this.logger.warn({ err: error, url }, 'mqtt error'));
  }

  private onConnect(session: Session): void {
    if (!session.alive) return;
    this.attempt = 0;
    this.logger.info({ url: this.options.url }, 'mqtt connected');
    this.announceOnline(session);
    this.announceMeta(session);
    this.pump(session, this.options.outbox.cursor()).catch((error: unknown) => {
      this.logger.error({ err: error }, 'outbox pump failed; reconnecting');
      session.client.end(true);
    });
  }

  // Runs in MQTT.js's event handler: a throw here would escape to the process, so a status the
  // contract refuses is logged and the readings still flow.
  private announceOnline(session: Session): void {
    const online: StatusInput = {
      v: 1,
      state: 'online',
      time: statusTime(this.clock.now()),
      software: this.options.software,
      sensors: [...this.options.sensors],
    };
    try {
      this.send(session.client, 'status', encode('status', online));
    } catch (error) {
      this.logger.error({ err: error }, 'online status not published');
    }
  }

  // Published only when it differs from what the broker last acknowledged (kept across restarts), with
  // the time of the change, so the ingest's history gets one point per change and not per restart.
  private announceMeta(session: Session): void {
    const meta = this.options.meta;
    if (meta === undefined) return;
    const next = prepareMeta(meta.content, this.metaLast, this.clock.now());
    if (next.action === 'none') return;
    if (next.action === 'skip') {
      this.logger.warn({ code: next.code }, `metadata not published: ${next.reason}`);
      return;
    }
    this.send(session.client, 'meta', next.payload, (error) => {
      if (error !== undefined) return;
      this.metaLast = next.published;
      this.logger.info(
        { time: next.published.time, sensors: meta.content.sensors.length },
        'metadata published',
      );
      meta.onPublished(next.published);
    });
  }

  private onClose(session: Session): void {
    if (!session.alive) return;
    session.alive = false;
    session.wakeup.notify();
    session.client.end(true);
    this.notifyProgress();
    if (this.stopping) return;
    const delay = backoffDelayMs(this.attempt + 1, this.options.reconnect ?? DEFAULT_BACKOFF);
    this.attempt += 1;
    this.logger.warn({ delayMs: delay, attempt: this.attempt }, 'mqtt connection lost; reconnecting');
    this.reconnectTimer = this.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopping) this.connect();
    }, delay);
  }

  /** Publishes stored messages in seq order, keeping at most `inFlightWindow` unacknowledged. */
  private async pump(session: Session, cursor: OutboxCursor): Promise<void> {
    const window = this.options.inFlightWindow ?? 16;
    while (session.alive && !this.stopping) {
      const message = session.inFlight < window ? await cursor.next() : undefined;
      if (message === undefined) await session.wakeup.wait();
      else if (session.alive) this.publishStored(session, message);
    }
  }

  // The outbox's cursor hands out only messages it may publish: see Outbox.cursor for what it checks.
  private publishStored(session: Session, message: StoredMessage): void {
    session.inFlight += 1;
    this.send(session.client, 'readings', message.payload, (error) => {
      session.inFlight -= 1;
      // On error the connection is gone; the next session publishes the message again.
      if (error === undefined) {
        this.options.outbox.ack(message.seq);
        this.counts.messages += 1;
        this.counts.readings += message.readings;
      }
      session.wakeup.notify();
      this.notifyProgress();
    });
  }

  private send(client: MqttClient, kind: GatewayKind, payload: string, done?: (error?: Error) => void): void {
    client.publish(this.topics[kind], payload, DELIVERY[kind], (error) => done?.(error ?? undefined));
  }

  /** `promise`'s value, or false if it takes longer than `ms`. */
  private within(ms: number, promise: Promise<boolean>): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => resolve(false), ms);
      void promise.then((value) => {
        this.clock.clearTimeout(timer);
        resolve(value);
      });
    });
  }

  private notifyProgress(): void {
    for (const listener of this.progressListeners) listener();
  }
}
