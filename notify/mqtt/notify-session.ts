import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { DELIVERY, SUBSCRIPTIONS } from '../../protocol/index.js';
import type { NotifyMqttConfig } from '../config.js';

/** CONNACK 4 (bad user name or password) and 5 (not authorized): only an operator can fix these. */
const REFUSED_CREDENTIALS = new Set([4, 5]);

export class NotifySessionError extends Error {
  constructor(
    readonly code: 'MQTT_CREDENTIALS_REFUSED' | 'MQTT_SUBSCRIBE_REFUSED',
    message: string,
  ) {
    super(message);
    this.name = 'NotifySessionError';
  }
}

export interface NotifySessionOptions {
  config: NotifyMqttConfig;
  logger: Logger;
  /** MQTT.js's handleMessage: the PUBACK goes out when `done` is called, after the journal's fsync. */
  receive(packet: IPublishPacket, done: (error?: Error) => void): void;
}

const FILTERS = [SUBSCRIPTIONS.alertEvents, SUBSCRIPTIONS.alertActions] as const;

function firstConnack(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error & { code?: unknown }): void => {
      if (typeof error.code !== 'number' || !REFUSED_CREDENTIALS.has(error.code)) return;
      client.off('connect', onConnect);
      client.off('error', onError);
      reject(
        new NotifySessionError(
          'MQTT_CREDENTIALS_REFUSED',
          `the broker refused the notifier's credentials: ${error.message}`,
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

async function subscribe(client: MqttClient): Promise<void> {
  const qos = DELIVERY.alert.qos;
  const granted = await client.subscribeAsync(Object.fromEntries(FILTERS.map((filter) => [filter, { qos }])));
  const refused = granted.filter((grant) => grant.qos !== qos);
  if (refused.length > 0) {
    throw new NotifySessionError(
      'MQTT_SUBSCRIBE_REFUSED',
      `the broker refused ${refused.map((grant) => grant.topic).join(', ')}; the notifier needs a service account`,
    );
  }
}

/**
 * The notifier's persistent session (fixed client id, clean: false), subscribed at QoS 1 to alert
 * events and the acknowledgements and silences beside them, so events published while it is down
 * wait on the broker. Reconnects forever; only refused credentials or rights end the first start.
 */
export async function openNotifySession({
  config,
  logger,
  receive,
}: NotifySessionOptions): Promise<MqttClient> {
  const client = mqtt.connect(config.url, {
    protocolVersion: 4,
    clean: false,
    clientId: config.clientId,
    ...(config.username === undefined ? {} : { username: config.username }),
    ...(config.password === undefined ? {} : { password: config.password }),
    reconnectPeriod: config.reconnectMs,
    reconnectOnConnackError: true,
    resubscribe: true,
  });
  // Set before any packet can arrive: a resumed session delivers queued messages right after CONNACK.
  client.handleMessage = receive;
  client.on('close', () => {
    if (!client.disconnecting) logger.warn({ url: config.url }, 'MQTT connection closed; reconnecting');
  });
  client.on('error', (error) => logger.warn({ url: config.url, err: error }, 'MQTT client error'));
  try {
    await firstConnack(client);
    await subscribe(client);
  } catch (error) {
    await client.endAsync(true);
    throw error;
  }
  return client;
}
