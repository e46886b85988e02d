import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { DELIVERY, type Delivery, SUBSCRIPTIONS } from '../protocol/index.js';
import type { MqttConsumerConfig } from './config.js';
import type { IncomingMessage } from './pipeline/ingest-message.js';

/** Resolves when the message may be acknowledged; rejecting leaves it unacknowledged for redelivery. */
export type HandleMessage = (message: IncomingMessage) => Promise<void>;

/**
 * Every gateway kind, each at the QoS its publisher uses: readings and status at QoS 1, so the
 * broker queues them for the persistent session; health at QoS 0, sent only while we are connected.
 */
const SUBSCRIBED_QOS: Readonly<Record<string, 0 | 1>> = {
  [SUBSCRIPTIONS.readings]: DELIVERY.readings.qos,
  [SUBSCRIPTIONS.status]: DELIVERY.status.qos,
  [SUBSCRIPTIONS.health]: DELIVERY.health.qos,
};

export interface MessageConsumerOptions {
  config: MqttConsumerConfig;
  logger: Logger;
  handle: HandleMessage;
}

export class ConsumerError extends Error {
  constructor(
    readonly code: 'MQTT_SUBSCRIBE_REFUSED' | 'MQTT_NOT_CONNECTED',
    message: string,
  ) {
    super(message);
    this.name = 'ConsumerError';
  }
}

/** Resolves on the first CONNACK; rejects on an error before it (refused connection, bad credentials). */
function connected(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      client.off('connect', onConnect);
      reject(error);
    };
    const onConnect = (): void => {
      client.off('error', onError);
      resolve();
    };
    client.once('connect', onConnect);
    client.once('error', onError);
  });
}

async function subscribeAll(client: MqttClient): Promise<void> {
  const granted = await client.subscribeAsync(
    Object.fromEntries(Object.entries(SUBSCRIBED_QOS).map(([filter, qos]) => [filter, { qos }])),
  );
  const refused = granted.filter((grant) => grant.qos !== SUBSCRIBED_QOS[grant.topic]);
  if (refused.length > 0) {
    const filters = refused.map((grant) => `${grant.topic} (QoS ${SUBSCRIBED_QOS[grant.topic]})`).join(', ');
    const reason = `the broker refused ${filters}; check the ingest account's read rights`;
    throw new ConsumerError('MQTT_SUBSCRIBE_REFUSED', reason);
  }
}

/**
 * The MQTT side of the ingest: a persistent session (clean: false, fixed client id) subscribed to
 * every gateway's readings, status and health. MQTT.js sends a PUBACK when `handleMessage` calls back and
 * reads the next packet only then, so acknowledging after the write to InfluxDB gives both
 * at-least-once storage and back-pressure: while a write waits, the broker keeps the rest queued.
 */
export class MessageConsumer {
  private client: MqttClient | undefined;
  private inHand: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(private readonly options: MessageConsumerOptions) {}

  async start(): Promise<void> {
    const { config, logger } = this.options;
    const client = mqtt.connect(config.url, {
      protocolVersion: 4,
      clean: false,
      clientId: config.clientId,
      ...(config.username === undefined ? {} : { username: config.username }),
      ...(config.password === undefined ? {} : { password: config.password }),
      reconnectPeriod: 1000,
    });
    this.client = client;
    // Set before any packet can arrive: a resumed session delivers queued messages right after CONNACK.
    client.handleMessage = (packet, done) => this.receive(packet, done);
    client.on('error', (error) => logger.error({ err: error }, 'MQTT client error'));
    client.on('offline', () => logger.warn({ url: config.url }, 'MQTT connection lost; reconnecting'));
    try {
      await connected(client);
      await subscribeAll(client);
    } catch (error) {
      this.client = undefined;
      await client.endAsync(true);
      throw error;
    }
  }

  /** Publishes through the consumer's connection; resolves on the broker's PUBACK. */
  async publish(topic: string, payload: string, delivery: Delivery): Promise<void> {
    if (this.client === undefined)
      throw new ConsumerError('MQTT_NOT_CONNECTED', 'the ingest consumer is stopped');
    await this.client.publishAsync(topic, payload, { qos: delivery.qos, retain: delivery.retain });
  }

  private receive(packet: IPublishPacket, done: (error?: Error) => void): void {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    // One message at a time, even across a reconnect, where MQTT.js starts a new packet pump.
    this.inHand = this.inHand.then(async () => {
      if (this.stopping) return;
      try {
        await this.options.handle({ topic: packet.topic, payload, retained: packet.retain });
      } catch (error) {
        this.options.logger.info(
          { topic: packet.topic, err: error },
          'message left unacknowledged for redelivery',
        );
        return;
      }
      done();
    });
  }

  /** Resolves when the message in hand is acknowledged or given up (the caller aborts its retries). */
  async settle(): Promise<void> {
    await this.inHand;
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  /**
   * Lets the message in hand finish, leaves any later one for redelivery, then disconnects; the
   * session and its queue stay on the broker.
   */
  async stop(): Promise<void> {
    this.stopping = true;
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
