import type { Logger } from 'pino';
import { warnOfMissingBrokerEnv } from '../broker-process-check.js';
import {
  ALERT_OPTIONS,
  API_KEYS_OPTIONS,
  apiKeysFile,
  BROKER_LIMIT_OPTIONS,
  BROKER_LISTENER_OPTIONS,
  BROKER_OPTIONS,
  brokerLimits,
  brokerListeners,
  brokerPersistence,
  COMMON_OPTIONS,
  credentialsFile,
  dataDir,
  drainOptions,
  HTTP_OPTIONS,
  httpListen,
  INFLUX_OPTIONS,
  influxConfig,
  PRIVATE_INFLUXD_OPTIONS,
  privateInfluxd,
  READING_LIMIT_OPTIONS,
  readingLimits,
  SPOOL_OPTIONS,
  SUBSCRIBERS_OPTIONS,
  spoolOptions,
} from '../option-sets.js';
import { type OptionValue, portOption, requiredString, stringOption, UsageError } from '../options.js';
import { serviceCommand } from '../service-command.js';
import type { StationAddresses } from '../station-server.js';
import { StationServer } from '../station-server.js';

/** Fractions are allowed (0.25: six hours); a year is the most a demo needs. */
export function backfillDays(values: Record<string, OptionValue>, limits: { maxAgeDays: number }): number {
  const text = stringOption(values, 'backfill-days') ?? '0';
  const days = Number(text);
  if (text.trim() === '' || !Number.isFinite(days) || days < 0 || days > 366) {
    throw new UsageError(`--backfill-days must be a number of days from 0 to 366, got "${text}"`);
  }
  // The ingest would quarantine the oldest of the history as TIME_OUT_OF_RANGE.
  if (days >= limits.maxAgeDays) {
    throw new UsageError(
      `--backfill-days ${days} reaches past --max-reading-age-days ${limits.maxAgeDays}: raise the latter`,
    );
  }
  return days;
}

/** The command that makes the first admin key, with the options this `up` was given that it needs. */
function firstKeyCommand(values: Record<string, OptionValue>): string {
  const file = stringOption(values, 'api-keys-file');
  const where = file === undefined ? `--data-dir ${dataDir(values)}` : `--api-keys-file ${file}`;
  return `fieldstation apikey add --role admin --name admin ${where}`;
}

/**
 * What a person needs to use the API now: with --simulate a ready reader key and the dashboard's
 * address, without any key the command that makes the first one. Written to stderr (the logs are
 * JSON on stdout) as well as logged, without the secret in the log.
 */
function announceKeys(
  keys: StationAddresses['apiKeys'],
  base: string,
  values: Record<string, OptionValue>,
  logger: Logger,
): void {
  if (keys.demoReader !== undefined) {
    logger.info(
      { id: keys.demoReader.id, name: keys.demoReader.name },
      `demo reader key made; dashboard at ${base}/`,
    );
    process.stderr.write(
      `\nDashboard: ${base}/\nReader API key (demo-reader, shown once, replaced at the next start):\n  ${keys.demoReader.key}\n` +
        `Try: curl -H "Authorization: Bearer ${keys.demoReader.key}" ${base}/v1/stations\n\n`,
    );
    return;
  }
  if (keys.usable > 0) return;
  const command = firstKeyCommand(values);
  logger.warn({ file: keys.file }, `no API key exists yet: create the first admin key with \`${command}\``);
  process.stderr.write(
    `\nNo API key exists yet, so every API route but /healthz answers 401. Create the first admin key with:\n  ${command}\n\n`,
  );
}

export const upCommand = serviceCommand({
  name: 'fieldstation',
  usage: 'fieldstation up [options]',
  summary:
    'Runs a station server in one process: the MQTT broker, the ingest with its alert rules, the HTTP API,\n' +
    'and with --subscribers the notifier. The broker runs on a thread of its own (a second core); if that\n' +
    'thread ends, `up` stops the rest and exits non-zero.\n' +
    "With --simulate it first delivers --backfill-days of the simulated gateways' history through MQTT (once\n" +
    'per data dir), so the API has a week to plot and an alert history from the start.\n' +
    'Without FS_INFLUX_URL it starts a private influxd under DATA_DIR/influxdb, restarts it if it exits,\n' +
    'and stops it on exit; if it cannot be restarted in time, `up` exits non-zero.\n' +
    'Every API route but /healthz needs an API key: while none exists `up` prints the command that makes the\n' +
    'first admin key; with --simulate it makes a reader key `demo-reader` and prints it with the dashboard address.',
  options: [
    ...COMMON_OPTIONS,
    ...BROKER_OPTIONS,
    ...BROKER_LISTENER_OPTIONS,
    ...BROKER_LIMIT_OPTIONS,
    ...HTTP_OPTIONS,
    ...API_KEYS_OPTIONS,
    ...INFLUX_OPTIONS,
    ...PRIVATE_INFLUXD_OPTIONS,
    ...SPOOL_OPTIONS,
    ...READING_LIMIT_OPTIONS,
    ...ALERT_OPTIONS,
    ...SUBSCRIBERS_OPTIONS,
    {
      flag: 'simulate',
      env: 'FS_SIMULATE',
      kind: 'boolean',
      description: 'also run simulated gateways of both stations (npm run demo)',
    },
    {
      flag: 'backfill-days',
      env: 'FS_SIMULATE_BACKFILL_DAYS',
      kind: 'string',
      default: '7',
      description:
        'with --simulate: days of simulated history delivered through MQTT before the live readings, once per data dir; 0: none',
    },
  ],
  build: (values, logger) => {
    warnOfMissingBrokerEnv(logger);
    const influx = influxConfig(values);
    const ingest = {
      spool: spoolOptions(values),
      drain: drainOptions(values),
      limits: readingLimits(values),
    };
    const server = new StationServer({
      dataDir: dataDir(values),
      credentialsFile: credentialsFile(values),
      apiKeysFile: apiKeysFile(values),
      broker: {
        persistence: brokerPersistence(values, logger),
        ...brokerListeners(values),
        limits: brokerLimits(values),
      },
      mqtt: { host: requiredString(values, 'mqtt-host'), port: portOption(values, 'mqtt-port') },
      http: httpListen(values),
      influx,
      privateInfluxd: influx === undefined ? privateInfluxd(values) : undefined,
      alertsFile: stringOption(values, 'alerts-file'),
      subscribersFile: stringOption(values, 'subscribers'),
      ingest,
      simulate: values.simulate === true ? { backfillDays: backfillDays(values, ingest.limits) } : undefined,
      logger,
    });
    return [
      {
        name: 'station server',
        start: async () => {
          const addresses = await server.start();
          const host = requiredString(values, 'http-host');
          const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
          const base = `http://${shown}:${addresses.http.port}`;
          logger.info(`API at ${base}/v1/stations`);
          const { demoReader, ...keys } = addresses.apiKeys;
          logger.info({ ...addresses, apiKeys: keys }, 'station server ready');
          announceKeys(addresses.apiKeys, base, values, logger);
        },
        stop: () => server.stop(),
        failed: server.failed,
      },
    ];
  },
});
