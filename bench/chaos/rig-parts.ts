import { join } from 'node:path';
import { BROKER_PROCESS_ENV, type IssuedCredentials, provisionAccount } from '../../broker/index.js';
import { connectInflux, type InfluxConnection, LocalInfluxd } from '../../influx/index.js';
import type { GatewayAddress } from '../../protocol/index.js';
import { CliChild, type LogRecord } from './cli-child.js';

/** Generous for a busy 2-core machine: a restart is waited for, never assumed. */
export const START_TIMEOUT_MS = 60_000;
export const DATABASE = 'chaos';
/** What `fieldstation` logs once every part of a command has started. */
const RUNNING = 'running; stop with Ctrl-C or SIGTERM';

export function credentialsFile(dir: string): string {
  return join(dir, 'data', 'broker', 'accounts.json');
}

export function gatewayAccount(dir: string, address: GatewayAddress): Promise<IssuedCredentials> {
  return provisionAccount(credentialsFile(dir), { kind: 'gateway', ...address });
}

/** An influxd of the run's own, on a port it keeps when killed and started again on the same data. */
export async function startInfluxd(dir: string): Promise<{ server: LocalInfluxd; influx: InfluxConnection }> {
  const server = new LocalInfluxd({ dir: join(dir, 'influxd'), startTimeoutMs: START_TIMEOUT_MS });
  const url = await server.start();
  const influx = await connectInflux({ dialect: 'v1', url, database: DATABASE });
  return { server, influx };
}

async function started(child: CliChild, msg: string): Promise<CliChild> {
  try {
    await child.waitForLog(msg, START_TIMEOUT_MS);
    return child;
  } catch (error) {
    await child.kill();
    throw error;
  }
}

/**
 * `fieldstation broker` with its default store (the journal under DATA_DIR/broker/journal), on a fixed
 * port, in the environment a broker's process is meant to start with.
 */
export function startBroker(dir: string, port: number): Promise<CliChild> {
  const broker = CliChild.start('broker', ['broker'], {
    ...BROKER_PROCESS_ENV,
    FS_DATA_DIR: join(dir, 'data'),
    FS_MQTT_HOST: '127.0.0.1',
    FS_MQTT_PORT: String(port),
    FS_LOG_LEVEL: 'info',
  });
  return started(broker, RUNNING);
}

/** `fieldstation ingest`, resuming its persistent session and its spool in DATA_DIR/ingest. */
export function startIngest(
  dir: string,
  mqttUrl: string,
  account: IssuedCredentials,
  influxUrl: string,
): Promise<CliChild> {
  const ingest = CliChild.start('ingest', ['ingest'], {
    FS_DATA_DIR: join(dir, 'data'),
    FS_MQTT_URL: mqttUrl,
    FS_MQTT_USERNAME: account.username,
    FS_MQTT_PASSWORD: account.password,
    FS_INFLUX_URL: influxUrl,
    FS_INFLUX_DATABASE: DATABASE,
    FS_LOG_LEVEL: 'info',
  });
  return started(ingest, 'ingest started');
}

/**
 * `fieldstation up` on a fixed MQTT port, storing in the run's influxd (not a private one of its own),
 * in the environment `npm start` gives it.
 */
export function startUp(dir: string, mqttPort: number, influxUrl: string): Promise<CliChild> {
  const up = CliChild.start('up', ['up'], {
    ...BROKER_PROCESS_ENV,
    FS_DATA_DIR: join(dir, 'data'),
    FS_MQTT_HOST: '127.0.0.1',
    FS_MQTT_PORT: String(mqttPort),
    FS_HTTP_HOST: '127.0.0.1',
    FS_HTTP_PORT: '0',
    FS_INFLUX_URL: influxUrl,
    FS_INFLUX_DATABASE: DATABASE,
    FS_LOG_LEVEL: 'info',
  });
  return started(up, 'station server ready');
}

/** `fieldstation gateway --config FILE`, each driver's delivered reading passed to `onReading`. */
export function startGateway(configFile: string, onReading: (record: LogRecord) => void): Promise<CliChild> {
  const gateway = CliChild.start(
    'gateway',
    ['gateway', '--config', configFile],
    { FS_LOG_LEVEL: 'trace' },
    (record) => {
      if (record.msg === 'reading delivered') onReading(record);
    },
  );
  return started(gateway, RUNNING);
}
