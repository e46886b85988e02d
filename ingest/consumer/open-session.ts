import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { backoffDelayMs } from '../../backoff/index.js';
import { DELIVERY, SUBSCRIPTIONS } from '../../protocol/index.js';
import type { MqttConsumerConfig } from '../config.js';
import type { RetryPolicy } from '../store/retry-policy.js';
import type { AckHold } from './ack-hold.js';

/**
 * Every gateway kind, each at the QoS its publisher uses: readings and status at QoS 1, so the
 * broker queues them for the persistent session; health at QoS 0, sent only while we are connected.
 * And the actions under every alert rule's topic (not the rules' events, which the ingest publishes).
 */
const SUBSCRIBED_QOS: Readonly<Record<string, 0 | 1>> = {
  [SUBSCRIPTIONS.readings]: DELIVERY.readings.qos,
  [SUBSCRIPTIONS.status]: DELIVERY.status.qos,
  [SUBSCRIPTIONS.health]: DELIVERY.health.qos,
  // Retained and QoS 1: a change made while the ingest is away is queued, the last one retained.
  [SUBSCRIPTIONS.meta]: DELIVERY.meta.qos,
  // Acks, silences and the notifier's delivery records, kept for the alert history: QoS 1, so the
  // broker queues them while the ingest is away.
  [SUBSCRIPTIONS.alertActions]: DELIVERY.ack.qos,
};

/** Between attempts to reach the broker: soon after a blip, every 30 s while it stays away. */
export const RECONNECT_POLICY: RetryPolicy = {
  initialDelayMs: 250,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.2,
};

/** CONNACK 4 (bad user name or password) and 5 (not authorized): only an operator can fix these. */
const REFUSED_CREDENTIALS = new Set([4, 5]);

export class ConsumerError extends Error {
  constructor(
    readonly code: 'MQTT_SUBSCRIBE_REFUSED' | 'MQTT_NOT_CONNECTED' | 'MQTT_CREDENTIALS_REFUSED',
    message: string,
  ) {
    super(message);
    this.name = 'ConsumerError';
  }
}

function returnCode(error: Error): number | undefined {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
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

/** Resolves on the next CONNACK 0; rejects at once on refused credentials, which retrying cannot fix. */
function nextConnack(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      const code = returnCode(error);
      if (code === undefined || !REFUSED_CREDENTIALS.has(code)) return;
      client.off('connect', onConnect);
      client.off('error', onError);
      reject(
        new ConsumerError(
          'MQTT_CREDENTIALS_REFUSED',
          `the broker refused the ingest's credentials: ${error.message}`,
        ),
      );
    };
    const onConnect = (): void => {
      client.off('error', onError);
      resolve();
    };
    client.once('connect', onConnect);
    client.on('error', onError);
  });
}

/** Subscribes on the current connection; resolves false when that connection closed first. */
async function subscribeBeforeClose(client: MqttClient): Promise<boolean> {
  let onClose = (): void => {};
  const closed = new Promise<boolean>((resolve) => {
    onClose = () => resolve(false);
    client.once('close', onClose);
  });
  try {
    return await Promise.race([subscribeAll(client).then(() => true), closed]);
  } finally {
    client.off('close', onClose);
  }
}

export interface SessionOptions {
  config: MqttConsumerConfig;
  logger: Logger;
  /** MQTT.js's handleMessage: the PUBACK goes out when `done` is called, and not before. */
  receive(packet: IPublishPacket, done: (error?: Error) => void): void;
  /** Holds each turn's PUBACKs until what their messages appended is durable. */
  acks: AckHold;
}

/**
 * Opens the ingest's persistent session (clean: false, fixed client id) and subscribes to every
 * gateway's readings, status, health and meta, and to the actions under every alert rule. The broker may
 * be away or close the connection at any moment, at start as later (a restart, a takeover of the old connection, a limit): the client
 * reconnects with capped exponential back-off, forever, and logs each attempt. Only credentials the
 * broker refuses, or read rights it will not grant, end the first start with an error.
 */
export async function openSession({ config, logger, receive, acks }: SessionOptions): Promise<MqttClient> {
  const client = mqtt.connect(config.url, {
    protocolVersion: 4,
    clean: false,
    clientId: config.clientId,
    ...(config.username === undefined ? {} : { username: config.username }),
    ...(config.password === undefined ? {} : { password: config.password }),
    reconnectPeriod: RECONNECT_POLICY.initialDelayMs,
    // A refusal after we were in (a credentials reload, a connection limit) is retried like a lost
    // connection; at the first start, refused credentials end start() instead (see nextConnack).
    reconnectOnConnackError: true,
    // Resubscribes when the broker lost the session (memory store restarted).
    resubscribe: true,
    // As the gateway's publisher: without mqtt-packet's table of 65,536 two-byte buffers (6.3 MB of
    // heap for the isolate's life, which V8 then sizes its old generation from) for a 2-byte
    // allocation per PUBACK.
    writeCache: false,
  });
  // Set before any packet can arrive: a resumed session delivers queued messages right after CONNACK.
  client.handleMessage = (packet, done) =>
    receive(packet, (error) => {
      if (error === undefined) acks.acknowledge(client, done);
      else done(error);
    });
  let attempt = 0;
  // Ahead of MQTT.js's own close handler, which arms the reconnect timer with this period.
  client.prependListener('close', () => {
    if (client.disconnecting) return;
    attempt++;
    const delayMs = backoffDelayMs(attempt, RECONNECT_POLICY);
    client.options.reconnectPeriod = delayMs;
    logger.warn({ url: config.url, attempt, retryInMs: delayMs }, 'MQTT connection closed; reconnecting');
  });
  client.on('connect', () => {
    if (attempt > 0) logger.info({ url: config.url, attempts: attempt }, 'MQTT connection restored');
    attempt = 0;
  });
  client.on('error', (error) => logger.warn({ url: config.url, err: error }, 'MQTT client error'));
  try {
    for (;;) {
      await nextConnack(client);
      if (await subscribeBeforeClose(client)) return client;
    }
  } catch (error) {
    await client.endAsync(true);
    throw error;
  }
}
