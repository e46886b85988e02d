import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import { addAccount, type IssuedCredentials } from '../../../broker/accounts/account-store.js';
import { BrokerServer } from '../../../broker/broker-server.js';
import type { BrokerConfigInput } from '../../../broker/config.js';

export interface RunningBroker<K extends string = string> {
  server: BrokerServer;
  port: number;
  credentialsFile: string;
  /** Credentials of the accounts created before start, in the order given. */
  accounts: Record<K, IssuedCredentials>;
  /** Every log line the broker wrote, as JSON text. */
  logs: string[];
  add(spec: AccountSpec): Promise<IssuedCredentials>;
  connect(
    username?: string,
    password?: string,
    clientId?: string,
    options?: IClientOptions,
  ): Promise<MqttClient>;
  /** Starts connecting and returns at once, so listeners catch what arrives with the CONNACK. */
  open(username: string, password: string, clientId: string, options?: IClientOptions): MqttClient;
  stop(): Promise<void>;
}

export interface BrokerFixtureOptions<K extends string> {
  accounts?: Record<K, AccountSpec>;
  maxPacketBytes?: number;
  /** TLS and WebSocket listeners besides plain TCP. */
  listeners?: Pick<BrokerConfigInput, 'tls' | 'websocket'>;
  limits?: BrokerConfigInput['limits'];
  /** A credentials file made beforehand (by the CLI, say), used as it is and left in place. */
  credentialsFile?: string;
}

/**
 * A real BrokerServer on a free port with its own credentials file in a temp dir. Accounts given
 * here exist before the broker starts; `add` changes the file of the running broker.
 */
export async function startBroker<K extends string = never>(
  options: BrokerFixtureOptions<K> = {},
): Promise<RunningBroker<K>> {
  const { maxPacketBytes } = options;
  const dir = await mkdtemp(join(tmpdir(), 'fs-broker-'));
  const credentialsFile = options.credentialsFile ?? join(dir, 'broker', 'accounts.json');
  const accounts = {} as Record<K, IssuedCredentials>;
  const specs = Object.entries(options.accounts ?? {}) as [K, AccountSpec][];
  for (const [key, spec] of specs) accounts[key] = await addAccount(credentialsFile, spec);
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(line) });
  const server = new BrokerServer({
    config: {
      host: '127.0.0.1',
      port: 0,
      credentialsFile,
      ...(maxPacketBytes ? { maxPacketBytes } : {}),
      ...options.listeners,
      ...(options.limits ? { limits: options.limits } : {}),
    },
    logger,
  });
  const { port } = await server.start();
  const clients: MqttClient[] = [];
  const clientOptions = (username?: string, password?: string, clientId?: string): IClientOptions => ({
    username,
    password,
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  return {
    server,
    port,
    credentialsFile,
    accounts,
    logs,
    add: (spec) => addAccount(credentialsFile, spec),
    async connect(username, password, clientId, options) {
      const client = await connectAsync(`mqtt://127.0.0.1:${port}`, {
        ...clientOptions(username, password, clientId),
        ...options,
      });
      clients.push(client);
      return client;
    },
    open(username, password, clientId, options) {
      const client = connect(`mqtt://127.0.0.1:${port}`, {
        ...clientOptions(username, password, clientId),
        ...options,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((client) => client.endAsync(true)));
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

export function nextMessage(client: MqttClient, topic: string): Promise<string> {
  return new Promise((resolve) => {
    const onMessage = (received: string, payload: Buffer): void => {
      if (received !== topic) return;
      client.off('message', onMessage);
      resolve(payload.toString());
    };
    client.on('message', onMessage);
  });
}

function refusedGrant(error: Error): number | undefined {
  // mqtt.js rejects a refused subscription with the SUBACK attached (ErrorWithSubackPacket).
  if (!('packet' in error) || typeof error.packet !== 'object' || error.packet === null) return undefined;
  const { granted } = error.packet as { granted?: unknown };
  return Array.isArray(granted) && typeof granted[0] === 'number' ? granted[0] : undefined;
}

/** Subscribes and resolves with the granted QoS (128 = refused) instead of throwing. */
export function subscribeGranted(client: MqttClient, filter: string): Promise<number> {
  return new Promise((resolve, reject) => {
    client.subscribe(filter, { qos: 1 }, (error, granted) => {
      if (!error) return resolve(granted?.[0]?.qos ?? -1);
      const code = refusedGrant(error);
      if (code === undefined) return reject(error);
      resolve(code);
    });
  });
}
