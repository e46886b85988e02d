import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { ApiConfigSchema, ApiServer } from '../../api/index.js';
import { BrokerServer, type IssuedCredentials, provisionAccount } from '../../broker/index.js';
import { StationServer } from '../../cli/station-server.js';
import type { InfluxConfig } from '../../influx/index.js';
import { IngestConfigSchema, IngestService } from '../../ingest/index.js';
import type { GatewayAddress } from '../../protocol/index.js';
import { ApiClient } from './api-client.js';
import { addKeyIn, keysFileIn } from './api-keys.js';
import { LogRecorder } from './log-recorder.js';

export interface StationOptions {
  /** The InfluxDB to use; without it the StationServer runs its private influxd in the temp dir. */
  influx?: InfluxConfig;
  /** Gateway accounts created before the start; their credentials are in `accounts`. */
  gateways?: readonly GatewayAddress[];
}

export interface RunningStation {
  dataDir: string;
  credentialsFile: string;
  mqttPort: number;
  mqttUrl: string;
  influxUrl: string;
  /** A client of the API with an admin key. */
  api: ApiClient;
  /** The API's keys file, in which that admin key is. */
  apiKeysFile: string;
  /** Every line the station logged at info and above. */
  logs: LogRecorder;
  /** Credentials of the gateways given in the options, by username (`station.gateway`). */
  accounts: Record<string, IssuedCredentials>;
  /** A real MQTT 3.1.1 client of this broker, ended at stop(); rejects if the broker refuses it. */
  connect(credentials: IssuedCredentials, clientId?: string): Promise<MqttClient>;
  stop(): Promise<void>;
}

/** What the parts-based station exposes besides: the broker (for its stats) and the ingest. */
export interface RunningStationParts extends RunningStation {
  broker: BrokerServer;
  ingest: IngestService;
  /** Provisions a gateway account and makes the running broker apply it at once. */
  addGateway(address: GatewayAddress): Promise<IssuedCredentials>;
}

interface Base {
  dir: string;
  dataDir: string;
  credentialsFile: string;
  logs: LogRecorder;
  logger: Logger;
  accounts: Record<string, IssuedCredentials>;
  adminKey: string;
}

async function prepare(options: StationOptions): Promise<Base> {
  const dir = await mkdtemp(join(tmpdir(), 'fs-station-'));
  const dataDir = join(dir, 'data');
  const credentialsFile = join(dataDir, 'broker', 'accounts.json');
  const accounts: Record<string, IssuedCredentials> = {};
  for (const address of options.gateways ?? []) {
    const issued = await provisionAccount(credentialsFile, { kind: 'gateway', ...address });
    accounts[issued.username] = issued;
  }
  const logs = new LogRecorder();
  const adminKey = (await addKeyIn(dataDir)).key;
  return { dir, dataDir, credentialsFile, logs, logger: logs.logger(), accounts, adminKey };
}

function running(
  base: Base,
  addresses: { mqttPort: number; httpPort: number; influxUrl: string },
  stopParts: () => Promise<void>,
): RunningStation {
  const clients: MqttClient[] = [];
  const mqttUrl = `mqtt://127.0.0.1:${addresses.mqttPort}`;
  return {
    dataDir: base.dataDir,
    credentialsFile: base.credentialsFile,
    mqttPort: addresses.mqttPort,
    mqttUrl,
    influxUrl: addresses.influxUrl,
    api: new ApiClient(`http://127.0.0.1:${addresses.httpPort}`, base.adminKey),
    apiKeysFile: keysFileIn(base.dataDir),
    logs: base.logs,
    accounts: base.accounts,
    async connect(credentials, clientId) {
      const client = await connectAsync(mqttUrl, {
        ...credentials,
        ...(clientId === undefined ? {} : { clientId }),
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 5000,
      });
      // A broker that cuts the socket (a refused publish) surfaces as ECONNRESET/EPIPE 'error'
      // events, which would throw without a listener; tests observe the 'close' instead.
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((client) => client.endAsync(true)));
      await stopParts();
      await rm(base.dir, { recursive: true, force: true });
    },
  };
}

/** `fieldstation up` in-process: a StationServer on free loopback ports with its data in a temp dir. */
export async function startStation(options: StationOptions = {}): Promise<RunningStation> {
  const base = await prepare(options);
  const server = new StationServer({
    dataDir: base.dataDir,
    credentialsFile: base.credentialsFile,
    mqtt: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    ...(options.influx === undefined ? {} : { influx: options.influx }),
    logger: base.logger,
  });
  try {
    const { mqtt, http, influxUrl } = await server.start();
    return running(base, { mqttPort: mqtt.port, httpPort: http.port, influxUrl }, () => server.stop());
  } catch (error) {
    await rm(base.dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The same station wired from its parts (BrokerServer, IngestService, ApiServer), as StationServer
 * does, so a test can read the broker's counters and provision accounts on the running broker.
 */
export async function startStationParts(
  options: StationOptions & { influx: InfluxConfig },
): Promise<RunningStationParts> {
  const base = await prepare(options);
  const { credentialsFile, logger } = base;
  const stack: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stack.splice(0).reverse()) await stop();
  };
  try {
    const ingestAccount = await provisionAccount(credentialsFile, { kind: 'service', name: 'ingest' });
    const apiAccount = await provisionAccount(credentialsFile, { kind: 'service', name: 'api' });
    const broker = new BrokerServer({ config: { host: '127.0.0.1', port: 0, credentialsFile }, logger });
    const { port } = await broker.start();
    stack.push(() => broker.stop());
    const url = `mqtt://127.0.0.1:${port}`;
    const ingest = new IngestService({
      config: IngestConfigSchema.parse({
        mqtt: { url, ...ingestAccount },
        influx: options.influx,
        dataDir: base.dataDir,
      }),
      logger,
    });
    await ingest.start();
    stack.push(() => ingest.stop());
    const apiConfig = {
      host: '127.0.0.1',
      port: 0,
      influx: options.influx,
      mqtt: { url, ...apiAccount },
      keysFile: keysFileIn(base.dataDir),
    };
    const api = new ApiServer({ config: ApiConfigSchema.parse(apiConfig), logger });
    const http = await api.start();
    stack.push(() => api.stop());
    const station = running(
      base,
      { mqttPort: port, httpPort: http.port, influxUrl: options.influx.url },
      stopAll,
    );
    const addGateway = async (address: GatewayAddress) => {
      const issued = await provisionAccount(credentialsFile, { kind: 'gateway', ...address });
      await broker.reloadCredentials();
      return issued;
    };
    return { ...station, broker, ingest, addGateway };
  } catch (error) {
    await stopAll();
    await rm(base.dir, { recursive: true, force: true });
    throw error;
  }
}
