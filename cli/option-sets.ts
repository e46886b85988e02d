import { join } from 'node:path';
import { type InfluxConfig, InfluxConfigSchema } from '../influx/index.js';
import { type OptionSpec, type OptionValue, stringOption, UsageError } from './options.js';
import { bundledConfig } from './package-root.js';

/** Options shared by several commands; each command lists the sets it takes, so `--help` is exact. */
export const LOG_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'log-level',
    env: 'FS_LOG_LEVEL',
    kind: 'string',
    default: 'info',
    description: 'fatal … trace, or silent',
  },
];

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
];

export const ALERT_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'alerts-file',
    env: 'FS_ALERTS_FILE',
    kind: 'string',
    default: bundledConfig('alerts.yaml'),
    description: 'alert rules (YAML or JSON)',
  },
];

/** Where `ingest` and `api` look for InfluxDB when run on their own without FS_INFLUX_URL. */
export const STANDALONE_INFLUX_URL = 'http://127.0.0.1:8086';

export function dataDir(values: Record<string, OptionValue>): string {
  return stringOption(values, 'data-dir') ?? './data';
}

export function credentialsFile(values: Record<string, OptionValue>): string {
  return stringOption(values, 'credentials-file') ?? join(dataDir(values), 'broker', 'accounts.json');
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
