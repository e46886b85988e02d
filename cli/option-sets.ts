import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  type BrokerConfigInput,
  type BrokerLimitsInput,
  BrokerLimitsSchema,
  ClientCertificateModeSchema,
  type JournalFsync,
  JournalFsyncSchema,
  PERSISTENCE_TYPES,
  type PersistenceConfigInput,
  RedisPersistenceSchema,
} from '../broker/index.js';
import {
  type InfluxConfig,
  InfluxConfigSchema,
  type RestartPolicyInput,
  RestartPolicySchema,
} from '../influx/index.js';
import { LOG_OPTIONS } from './log-options.js';
import {
  millisecondsOption,
  type OptionSpec,
  type OptionValue,
  portOption,
  requiredString,
  stringOption,
  UsageError,
} from './options.js';
import { bundledConfig } from './package-root.js';

/** Options shared by several commands; each command lists the sets it takes, so `--help` is exact. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  ...LOG_OPTIONS,
  {
    flag: 'data-dir',
    env: 'FS_DATA_DIR',
    kind: 'string',
    default: './data',
    description: 'where state is kept',
  },
];

export const BROKER_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'mqtt-host',
    env: 'FS_MQTT_HOST',
    kind: 'string',
    default: '0.0.0.0',
    description: 'MQTT listen address',
  },
  { flag: 'mqtt-port', env: 'FS_MQTT_PORT', kind: 'port', default: '1883', description: 'MQTT listen port' },
  {
    flag: 'credentials-file',
    env: 'FS_CREDENTIALS_FILE',
    kind: 'string',
    description: 'broker accounts (hashed secrets); default DATA_DIR/broker/accounts.json',
  },
  {
    flag: 'persistence',
    env: 'FS_BROKER_PERSISTENCE',
    kind: 'string',
    default: 'journal',
    description:
      'sessions, queued and retained messages: journal (in memory, every change appended to DATA_DIR/broker/journal), disk (LevelDB in DATA_DIR/broker/store), redis, or memory',
  },
  {
    flag: 'broker-fsync',
    env: 'FS_BROKER_FSYNC',
    kind: 'string',
    default: 'interval',
    description:
      "always | interval (every second) | never: when the broker's journal is forced to disk; for --persistence journal",
  },
  {
    flag: 'redis-url',
    env: 'FS_REDIS_URL',
    kind: 'string',
    description: 'redis://[user:password@]host:port[/db] shared by broker nodes, for --persistence redis',
  },
  {
    flag: 'redis-key-prefix',
    env: 'FS_REDIS_KEY_PREFIX',
    kind: 'string',
    description: "prefix of the broker's Redis keys and channels, for deployments sharing one Redis",
  },
];

/** Only for `broker` on its own: `up` serves the broker's metrics on its HTTP API. */
const LIMIT_DEFAULTS = BrokerLimitsSchema.parse({});

/** The broker limits an operator tunes at a station; the defaults are BrokerLimitsSchema's. */
export const BROKER_LIMIT_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'max-message-rate',
    env: 'FS_MAX_MESSAGE_RATE',
    kind: 'string',
    default: String(LIMIT_DEFAULTS.messageRate.perSecond),
    description: 'PUBLISH packets per second per client; a client over it is disconnected',
  },
  {
    flag: 'max-message-burst',
    env: 'FS_MAX_MESSAGE_BURST',
    kind: 'string',
    default: String(LIMIT_DEFAULTS.messageRate.burst),
    description: 'PUBLISH packets a client may send at once before --max-message-rate applies',
  },
  {
    flag: 'max-connections-per-account',
    env: 'FS_MAX_CONNECTIONS_PER_ACCOUNT',
    kind: 'string',
    default: String(LIMIT_DEFAULTS.maxConnectionsPerAccount),
    description: 'live connections of one account; one more gets CONNACK 3',
  },
  {
    flag: 'max-connection-rate',
    env: 'FS_MAX_CONNECTION_RATE',
    kind: 'string',
    default: String(LIMIT_DEFAULTS.connectionRate.perSecond),
    description: `new connections per second from one address (bursts of ${LIMIT_DEFAULTS.connectionRate.burst})`,
  },
  {
    flag: 'max-password-failures',
    env: 'FS_MAX_PASSWORD_FAILURES',
    kind: 'string',
    default: String(LIMIT_DEFAULTS.accountLockout.afterFailures),
    description:
      'wrong passwords in a row before an account is locked out (CONNACK 4, whatever the password)',
  },
  {
    flag: 'lockout-ms',
    env: 'FS_LOCKOUT_MS',
    kind: 'string',
    default: String(LIMIT_DEFAULTS.accountLockout.firstLockMs),
    description: 'first lock-out of an account; each wrong password after it doubles the next',
  },
  {
    flag: 'max-lockout-ms',
    env: 'FS_MAX_LOCKOUT_MS',
    kind: 'string',
    default: String(LIMIT_DEFAULTS.accountLockout.maxLockMs),
    description: 'longest lock-out; quiet this long after it, an account starts afresh',
  },
  {
    flag: 'max-queued-per-session',
    env: 'FS_MAX_QUEUED_PER_SESSION',
    kind: 'string',
    default: String(LIMIT_DEFAULTS.maxQueuedPerSession),
    description: 'QoS 1/2 messages kept for one offline persistent session; later ones are dropped',
  },
];

const LIMIT_FLAGS: Record<string, string> = {
  maxConnectionsPerAccount: 'max-connections-per-account',
  maxQueuedPerSession: 'max-queued-per-session',
  'messageRate.perSecond': 'max-message-rate',
  'messageRate.burst': 'max-message-burst',
  'connectionRate.perSecond': 'max-connection-rate',
  'accountLockout.afterFailures': 'max-password-failures',
  'accountLockout.firstLockMs': 'lockout-ms',
  'accountLockout.maxLockMs': 'max-lockout-ms',
};

/** The limits given by flag or environment, checked against the broker's schema. */
export function brokerLimits(values: Record<string, OptionValue>): BrokerLimitsInput {
  const number = (flag: string): number | undefined => {
    const raw = stringOption(values, flag);
    return raw === undefined ? undefined : Number(raw);
  };
  const parsed = BrokerLimitsSchema.safeParse({
    maxConnectionsPerAccount: number('max-connections-per-account'),
    maxQueuedPerSession: number('max-queued-per-session'),
    messageRate: { perSecond: number('max-message-rate'), burst: number('max-message-burst') },
    connectionRate: { perSecond: number('max-connection-rate') },
    accountLockout: {
      afterFailures: number('max-password-failures'),
      firstLockMs: number('lockout-ms'),
      maxLockMs: number('max-lockout-ms'),
    },
  });
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (issue) => `--${LIMIT_FLAGS[issue.path.join('.')] ?? issue.path.join('.')}: ${issue.message}`,
  );
  throw new UsageError(`broker limits are invalid: ${issues.join('; ')}`);
}

export const BROKER_HTTP_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'broker-http-port',
    env: 'FS_BROKER_HTTP_PORT',
    kind: 'port',
    description: 'serve /metrics and /healthz on this port (on the MQTT listen address); off when unset',
  },
];

/** The broker's TLS and WebSocket listeners; each is off until its port is set. */
export const BROKER_LISTENER_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'tls-port',
    env: 'FS_TLS_PORT',
    kind: 'port',
    description: 'MQTT over TLS port (8883 by convention); off when unset',
  },
  {
    flag: 'tls-cert',
    env: 'FS_TLS_CERT',
    kind: 'string',
    description: 'PEM server certificate (with its chain), for TLS and wss',
  },
  { flag: 'tls-key', env: 'FS_TLS_KEY', kind: 'string', description: 'PEM private key of --tls-cert' },
  { flag: 'tls-ca', env: 'FS_TLS_CA', kind: 'string', description: 'PEM CA that signs client certificates' },
  {
    flag: 'tls-client-certs',
    env: 'FS_TLS_CLIENT_CERTS',
    kind: 'string',
    default: 'off',
    description: 'off, optional or required: a certificate from --tls-ca logs in as the account its CN names',
  },
  {
    flag: 'ws-port',
    env: 'FS_WS_PORT',
    kind: 'port',
    description: 'MQTT over WebSocket port; off when unset',
  },
  { flag: 'ws-path', env: 'FS_WS_PATH', kind: 'string', default: '/mqtt', description: 'WebSocket URL path' },
  { flag: 'ws-tls', env: 'FS_WS_TLS', kind: 'boolean', description: 'wss:// with --tls-cert and --tls-key' },
];

export const MQTT_CLIENT_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'mqtt-url',
    env: 'FS_MQTT_URL',
    kind: 'string',
    default: 'mqtt://127.0.0.1:1883',
    description: 'broker to connect to',
  },
  { flag: 'mqtt-username', env: 'FS_MQTT_USERNAME', kind: 'string', description: 'service account username' },
  { flag: 'mqtt-password', env: 'FS_MQTT_PASSWORD', kind: 'string', description: 'service account secret' },
];

export const INFLUX_OPTIONS: readonly OptionSpec[] = [
  { flag: 'influx-url', env: 'FS_INFLUX_URL', kind: 'string', description: 'InfluxDB base URL' },
  {
    flag: 'influx-dialect',
    env: 'FS_INFLUX_DIALECT',
    kind: 'string',
    default: 'v1',
    description: 'v1, or v2 for 2.x/3.x',
  },
  {
    flag: 'influx-database',
    env: 'FS_INFLUX_DATABASE',
    kind: 'string',
    default: 'fieldstation',
    description: 'database (v1) or DBRP-mapped database for InfluxQL (v2)',
  },
  { flag: 'influx-username', env: 'FS_INFLUX_USERNAME', kind: 'string', description: 'v1 user' },
  { flag: 'influx-password', env: 'FS_INFLUX_PASSWORD', kind: 'string', description: 'v1 password' },
  { flag: 'influx-token', env: 'FS_INFLUX_TOKEN', kind: 'string', description: 'v2/v3 API token' },
  { flag: 'influx-org', env: 'FS_INFLUX_ORG', kind: 'string', description: 'v2 organisation' },
  { flag: 'influx-bucket', env: 'FS_INFLUX_BUCKET', kind: 'string', description: 'v2/v3 bucket' },
];

/** Only for `up`, and only used when no FS_INFLUX_URL is set. */
export const PRIVATE_INFLUXD_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'influxd-binary',
    env: 'FS_INFLUXD_BINARY',
    kind: 'string',
    default: 'influxd',
    description: 'the influxd (1.x) to run as the private database: a path, or a name on the PATH',
  },
  {
    flag: 'influxd-restart-timeout',
    env: 'FS_INFLUXD_RESTART_TIMEOUT',
    kind: 'seconds',
    default: String(RestartPolicySchema.parse({}).giveUpAfterMs / 1000),
    description: 'seconds to restart a private influxd that exited; then `up` exits non-zero',
  },
];

export interface PrivateInfluxdSettings {
  binary: string;
  restart: RestartPolicyInput;
}

export function privateInfluxd(values: Record<string, OptionValue>): PrivateInfluxdSettings {
  return {
    binary: stringOption(values, 'influxd-binary') ?? 'influxd',
    restart: { giveUpAfterMs: millisecondsOption(values, 'influxd-restart-timeout') },
  };
}

export const HTTP_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'http-host',
    env: 'FS_HTTP_HOST',
    kind: 'string',
    default: '0.0.0.0',
    description: 'HTTP API listen address',
  },
  {
    flag: 'http-port',
    env: 'FS_HTTP_PORT',
    kind: 'port',
    default: '8080',
    description: 'HTTP API listen port',
  },
  {
    flag: 'trusted-proxies',
    env: 'FS_HTTP_TRUSTED_PROXIES',
    kind: 'string',
    description:
      'reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For names the client, so the key throttle blocks clients, not the proxy',
  },
];

/** Where the HTTP API listens and which proxies in front of it it believes (ApiConfig's host, port, trustedProxies). */
export function httpListen(values: Record<string, OptionValue>): {
  host: string;
  port: number;
  trustedProxies: string[];
} {
  const proxies = stringOption(values, 'trusted-proxies');
  return {
    host: requiredString(values, 'http-host'),
    port: portOption(values, 'http-port'),
    trustedProxies: proxies?.split(',').flatMap((part) => (part.trim() === '' ? [] : [part.trim()])) ?? [],
  };
}

export const ALERT_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'alerts-file',
    env: 'FS_ALERTS_FILE',
    kind: 'string',
    default: bundledConfig('alerts.yaml'),
    description: 'alert rules (YAML or JSON)',
  },
];

export const SPOOL_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'spool-max-mb',
    env: 'FS_SPOOL_MAX_MB',
    kind: 'string',
    default: '1024',
    description: 'disk the ingest spool may use before it stops acknowledging (MiB)',
  },
  {
    flag: 'spool-fsync',
    env: 'FS_SPOOL_FSYNC',
    kind: 'string',
    default: 'interval',
    description: 'always | interval (every second) | never: when spooled data is forced to disk',
  },
  {
    flag: 'influx-batch-points',
    env: 'FS_INFLUX_BATCH_POINTS',
    kind: 'string',
    default: '20000',
    description:
      'points per InfluxDB write request at most (and 4 MiB); lower it for a server that wants small requests',
  },
];

export const READING_LIMIT_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'max-reading-age-days',
    env: 'FS_MAX_READING_AGE_DAYS',
    kind: 'string',
    default: '400',
    description: 'readings sampled longer ago are quarantined (TIME_OUT_OF_RANGE); raise it for a backfill',
  },
  {
    flag: 'max-series-per-gateway',
    env: 'FS_MAX_SERIES_PER_GATEWAY',
    kind: 'string',
    default: '1000',
    description: 'distinct sensor/quantity/unit series one gateway may write (SERIES_LIMIT past it)',
  },
];

/** The ingest's reading limits from the command line, for IngestConfigSchema's `limits`. */
export function readingLimits(values: Record<string, OptionValue>): {
  maxAgeDays: number;
  maxSeriesPerGateway: number;
} {
  const positive = (flag: string, fallback: string): number => {
    const text = stringOption(values, flag) ?? fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) {
      throw new UsageError(`--${flag} must be a positive number, not "${text}"`);
    }
    return value;
  };
  return {
    maxAgeDays: positive('max-reading-age-days', '400'),
    maxSeriesPerGateway: Math.round(positive('max-series-per-gateway', '1000')),
  };
}

export const INGEST_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'ingest-partition',
    env: 'FS_INGEST_PARTITION',
    kind: 'string',
    default: '0/1',
    description: 'i/n: with n ingests on one broker, this one stores the gateways that hash to i',
  },
  {
    flag: 'mqtt-client-id',
    env: 'FS_MQTT_CLIENT_ID',
    kind: 'string',
    description: 'the persistent session to resume (default fs-ingest, or fs-ingest-i-of-n with a partition)',
  },
  ...SPOOL_OPTIONS,
  ...READING_LIMIT_OPTIONS,
];

/** The spool's settings from the command line, for IngestConfigSchema's `spool` (zod checks the rest). */
export function spoolOptions(values: Record<string, OptionValue>): { maxBytes: number; fsync: string } {
  const text = stringOption(values, 'spool-max-mb') ?? '1024';
  const maxMb = Number(text);
  if (!Number.isFinite(maxMb) || maxMb <= 0) {
    throw new UsageError(`--spool-max-mb (FS_SPOOL_MAX_MB) must be a positive number of MiB, not "${text}"`);
  }
  return {
    maxBytes: Math.round(maxMb * 1024 * 1024),
    fsync: stringOption(values, 'spool-fsync') ?? 'interval',
  };
}

/** How the spool is written to InfluxDB, for IngestConfigSchema's `drain`. */
export function drainOptions(values: Record<string, OptionValue>): { batchLines: number } {
  const text = stringOption(values, 'influx-batch-points') ?? '20000';
  const points = Number(text);
  if (!Number.isSafeInteger(points) || points <= 0) {
    throw new UsageError(
      `--influx-batch-points (FS_INFLUX_BATCH_POINTS) must be a positive whole number, not "${text}"`,
    );
  }
  return { batchLines: points };
}

/** The ingest's part of a command line: its data dir, partition, spool and drain, for IngestConfigSchema. */
export function ingestOptions(values: Record<string, OptionValue>) {
  return {
    dataDir: dataDir(values),
    partition: stringOption(values, 'ingest-partition') ?? '0/1',
    spool: spoolOptions(values),
    drain: drainOptions(values),
    limits: readingLimits(values),
  };
}

/** Each partition needs a session of its own, or the broker would hand one queue to two ingests. */
export function mqttClientId(values: Record<string, OptionValue>): { clientId?: string } {
  const given = stringOption(values, 'mqtt-client-id');
  if (given !== undefined) return { clientId: given };
  const partition = stringOption(values, 'ingest-partition') ?? '0/1';
  const [index, count] = partition.split('/');
  return count === undefined || count === '1' ? {} : { clientId: `fs-ingest-${index}-of-${count}` };
}

/** Where `ingest` and `api` look for InfluxDB when run on their own without FS_INFLUX_URL. */
export const STANDALONE_INFLUX_URL = 'http://127.0.0.1:8086';

export function dataDir(values: Record<string, OptionValue>): string {
  return stringOption(values, 'data-dir') ?? './data';
}

export function credentialsFile(values: Record<string, OptionValue>): string {
  return stringOption(values, 'credentials-file') ?? join(dataDir(values), 'broker', 'accounts.json');
}

export function apiKeysFile(values: Record<string, OptionValue>): string {
  return stringOption(values, 'api-keys-file') ?? join(dataDir(values), 'api', 'keys.json');
}

/**
 * Where the broker keeps its state: its journal under DATA_DIR/broker/journal, or LevelDB under
 * DATA_DIR/broker/store. A data dir that an earlier version left with a LevelDB store and no journal
 * keeps LevelDB, whatever --persistence says: its queued messages and kept sessions are not carried
 * into a journal, and a station upgraded on a mountain must not lose them or fail to start.
 */
export function brokerPersistence(
  values: Record<string, OptionValue>,
  logger: Logger,
): PersistenceConfigInput {
  const type = stringOption(values, 'persistence') ?? 'journal';
  const levelDir = join(dataDir(values), 'broker', 'store');
  switch (type) {
    case 'memory':
      return { type };
    case 'journal': {
      const dir = join(dataDir(values), 'broker', 'journal');
      if (existsSync(levelDir) && !existsSync(dir)) {
        logger.warn(
          { store: levelDir, journal: dir },
          'the broker keeps the LevelDB store an earlier version left in this data dir; to move to the journal, let the ingest empty the queues, stop the broker, remove the store and start again',
        );
        return { type: 'disk', dir: levelDir };
      }
      return { type, dir, fsync: brokerFsync(values) };
    }
    case 'disk':
      return { type, dir: levelDir };
    case 'redis':
      return redisPersistence(values);
    default:
      throw new UsageError(`--persistence must be one of ${PERSISTENCE_TYPES.join(', ')}, got "${type}"`);
  }
}

function brokerFsync(values: Record<string, OptionValue>): JournalFsync {
  const text = stringOption(values, 'broker-fsync') ?? 'interval';
  const parsed = JournalFsyncSchema.safeParse(text);
  if (!parsed.success) {
    throw new UsageError(
      `--broker-fsync (FS_BROKER_FSYNC) must be one of ${JournalFsyncSchema.options.join(', ')}, got "${text}"`,
    );
  }
  return parsed.data;
}

const REDIS_FLAGS: Readonly<Record<string, string>> = { url: '--redis-url', keyPrefix: '--redis-key-prefix' };

function redisPersistence(values: Record<string, OptionValue>): PersistenceConfigInput {
  const url = stringOption(values, 'redis-url');
  if (url === undefined) throw new UsageError('--persistence redis needs --redis-url (FS_REDIS_URL)');
  const parsed = RedisPersistenceSchema.safeParse({
    type: 'redis',
    url,
    keyPrefix: stringOption(values, 'redis-key-prefix'),
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${REDIS_FLAGS[String(issue.path[0])]}: ${issue.message}`,
    );
    throw new UsageError(`Redis settings are invalid: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** The InfluxDB settings, or undefined when no URL is set (then `up` runs a private influxd). */
export function influxConfig(
  values: Record<string, OptionValue>,
  url = stringOption(values, 'influx-url'),
): InfluxConfig | undefined {
  if (url === undefined) return undefined;
  const parsed = InfluxConfigSchema.safeParse({
    dialect: stringOption(values, 'influx-dialect'),
    url,
    database: stringOption(values, 'influx-database'),
    username: stringOption(values, 'influx-username'),
    password: stringOption(values, 'influx-password'),
    token: stringOption(values, 'influx-token'),
    org: stringOption(values, 'influx-org'),
    bucket: stringOption(values, 'influx-bucket'),
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `--influx-${String(issue.path[0])}: ${issue.message}`);
    throw new UsageError(`InfluxDB settings are incomplete: ${issues.join('; ')}`);
  }
  return parsed.data;
}

export type BrokerListenerSettings = Pick<BrokerConfigInput, 'tls' | 'websocket'>;

/** The TLS and WebSocket listener settings from BROKER_LISTENER_OPTIONS; the broker reads the files at start. */
export function brokerListeners(values: Record<string, OptionValue>): BrokerListenerSettings {
  return { tls: tlsListener(values), websocket: websocketListener(values) };
}

function tlsFiles(
  values: Record<string, OptionValue>,
  wanted: string,
): { certFile: string; keyFile: string } {
  const certFile = stringOption(values, 'tls-cert');
  const keyFile = stringOption(values, 'tls-key');
  if (certFile === undefined || keyFile === undefined) {
    throw new UsageError(`${wanted} needs --tls-cert and --tls-key (FS_TLS_CERT, FS_TLS_KEY)`);
  }
  return { certFile, keyFile };
}

function tlsListener(values: Record<string, OptionValue>): BrokerListenerSettings['tls'] {
  const port = values['tls-port'];
  if (typeof port !== 'number') return undefined;
  const mode = ClientCertificateModeSchema.safeParse(stringOption(values, 'tls-client-certs'));
  if (!mode.success) throw new UsageError('--tls-client-certs must be off, optional or required');
  const caFile = stringOption(values, 'tls-ca');
  if (mode.data !== 'off' && caFile === undefined) {
    throw new UsageError(
      `--tls-client-certs ${mode.data} needs --tls-ca (FS_TLS_CA), the CA that signs them`,
    );
  }
  return { port, ...tlsFiles(values, '--tls-port'), caFile, clientCertificates: mode.data };
}

function websocketListener(values: Record<string, OptionValue>): BrokerListenerSettings['websocket'] {
  const port = values['ws-port'];
  if (typeof port !== 'number') return undefined;
  const files = values['ws-tls'] === true ? tlsFiles(values, '--ws-tls') : {};
  return { port, path: stringOption(values, 'ws-path'), ...files };
}

/**
 * The notifier's subscribers file, for `notify` (required), `up` (notifications off without it) and
 * `api` (GET/PUT /v1/alerts/subscriptions answer 404 without it).
 */
/** The API keys file, shared by `up`, `api` and `apikey`. */
export const API_KEYS_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'api-keys-file',
    env: 'FS_API_KEYS_FILE',
    kind: 'string',
    description: 'API keys (hashed) of the HTTP API; default DATA_DIR/api/keys.json',
  },
];

export const SUBSCRIBERS_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'subscribers',
    env: 'FS_SUBSCRIBERS_FILE',
    kind: 'string',
    description: `who is notified of alerts, how and when (YAML); example: ${bundledConfig('subscribers.yaml')}`,
  },
];

/** Only for `fieldstation notify` on its own: its session and how it logs in. */
export const NOTIFY_OPTIONS: readonly OptionSpec[] = [
  ...SUBSCRIBERS_OPTIONS,
  {
    flag: 'mqtt-client-id',
    // Not FS_MQTT_CLIENT_ID: an environment shared with the ingest would hand both one session.
    env: 'FS_NOTIFY_CLIENT_ID',
    kind: 'string',
    default: 'fs-notify',
    description: 'the persistent session to resume',
  },
  {
    flag: 'credentials-file',
    env: 'FS_CREDENTIALS_FILE',
    kind: 'string',
    description:
      "the broker's accounts file: without --mqtt-username, issue the notify service account's secret afresh in it",
  },
];
