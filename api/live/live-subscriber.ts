import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { DELIVERY, SUBSCRIPTIONS } from '../../protocol/index.js';
import type { ApiMqttConfig } from '../config.js';
import { ApiError } from '../errors.js';
import {
  type ActionPublisher,
  type AlertActionMessage,
  actionPacket,
  mqttUnreachable,
} from './action-publisher.js';
import { applyLiveMessage } from './live-messages.js';
import { LiveStore } from './live-store.js';

export interface LiveSubscriberOptions {
  mqtt: ApiMqttConfig;
  logger: Logger;
  /** The state to feed; a fresh one by default. */
  store?: LiveStore;
  /** How long start() waits for the first connection. */
  connectTimeoutMs?: number;
  /** How long publish() waits for the broker's PUBACK; 5 s by default. */
  publishTimeoutMs?: number;
}

/** Resolves on the client's first connection; rejects on its first error or after the timeout. */
function firstConnection(client: MqttClient, url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', finish);
      if (error) reject(error);
      else resolve();
    };
    const onConnect = () => finish();
    // mqtt.js retries refused connections without an 'error' event, so a deadline is needed.
    const timer = setTimeout(
      () => finish(new Error(`no connection to ${url} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    client.on('connect', onConnect);
    client.on('error', finish);
  });
}

// Status and alerts are retained, so a clean session learns the whole current state on subscribe.
const FILTERS = {
  [SUBSCRIPTIONS.status]: { qos: DELIVERY.status.qos },
  [SUBSCRIPTIONS.health]: { qos: DELIVERY.health.qos },
  [SUBSCRIPTIONS.alerts]: { qos: DELIVERY.alert.qos },
};

/**
 * Keeps a LiveStore up to date from the broker's status, health and alert topics, and publishes the
 * write routes' acks and silences on the same connection (the API's one MQTT client).
 */
export class LiveSubscriber implements ActionPublisher {
  readonly store: LiveStore;
  private client: MqttClient | undefined;

  constructor(private readonly options: LiveSubscriberOptions) {
    this.store = options.store ?? new LiveStore();
  }

  /** Connects and subscribes; rejects if the first connection attempt fails. Later drops reconnect. */
  async start(): Promise<void> {
    const { url, username, password, clientId } = this.options.mqtt;
    const client = mqtt.connect(url, {
      clientId,
      username,
      password,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 1000,
      // The 'connect' handler subscribes on every (re)connection; mqtt.js need not do it again.
      resubscribe: false,
      // Without mqtt-packet's table of 65,536 two-byte buffers (6.3 MB of heap for good), as the ingest.
      writeCache: false,
    });
    this.client = client;
    client.on('message', (topic, payload) =>
      applyLiveMessage(this.store, topic, payload, this.options.logger),
    );
    client.on('connect', () => {
      this.store.setConnected(true);
      client.subscribe(FILTERS, (error) => {
        if (error) this.options.logger.error({ err: error }, 'live subscription refused');
      });
    });
    client.on('close', () => this.store.setConnected(false));
    client.on('error', (error) => this.options.logger.warn({ err: error }, 'live MQTT connection error'));
    try {
      await firstConnection(client, url, this.options.connectTimeoutMs ?? 10_000);
    } catch (error) {
      await this.stop();
      throw new ApiError(
        'MQTT_UNREACHABLE',
        `cannot connect to MQTT at ${url}: ${(error as Error).message}`,
        503,
        {},
        {
          cause: error,
        },
      );
    }
    this.options.logger.info({ url, clientId }, 'live state subscribed');
  }

  /**
   * Publishes and waits for the PUBACK, then applies the message to the store at once, so a read
   * right after the write sees it (the copy the subscription brings back changes nothing). Refused
   * at once while disconnected: MQTT.js would queue the message and send it whenever the connection
   * returns, long after the caller was told it failed.
   */
  async publish(message: AlertActionMessage): Promise<void> {
    const client = this.client;
    if (client === undefined || !client.connected)
      throw mqttUnreachable('is not connected, nothing was published');
    const { topic, payload, delivery } = actionPacket(message);
    const timeoutMs = this.options.publishTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            mqttUnreachable(`did not confirm the message within ${timeoutMs} ms (it may still take it)`),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([
        client.publishAsync(topic, payload, { qos: delivery.qos, retain: delivery.retain }),
        late,
      ]);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw mqttUnreachable(`refused the message: ${(error as Error).message}`, error);
    } finally {
      clearTimeout(timer);
    }
    applyLiveMessage(this.store, topic, Buffer.from(payload), this.options.logger);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    await client.endAsync(true);
    this.store.setConnected(false);
  }
}
