import { runUntilSignal } from '../lifecycle.js';
import { createLogger } from '../logger.js';
import {
  ALERT_OPTIONS,
  BROKER_OPTIONS,
  COMMON_OPTIONS,
  credentialsFile,
  dataDir,
  HTTP_OPTIONS,
  INFLUX_OPTIONS,
  influxConfig,
} from '../option-sets.js';
import {
  formatHelp,
  type OptionSpec,
  parseCommandLine,
  portOption,
  requiredString,
  stringOption,
} from '../options.js';
import { StationServer } from '../station-server.js';

const OPTIONS: readonly OptionSpec[] = [
  ...COMMON_OPTIONS,
  ...BROKER_OPTIONS,
  ...HTTP_OPTIONS,
  ...INFLUX_OPTIONS,
  ...ALERT_OPTIONS,
  {
    flag: 'simulate',
    env: 'FS_SIMULATE',
    kind: 'boolean',
    description: 'also run simulated gateways of both stations (npm run demo)',
  },
];

const SUMMARY =
  'Runs a station server in one process: the MQTT broker, the ingest with its alert rules, and the HTTP API.\n' +
  'Without FS_INFLUX_URL it starts a private influxd under DATA_DIR/influxdb and stops it on exit.';

export async function upCommand(argv: readonly string[]): Promise<number> {
  const { values, help } = parseCommandLine(OPTIONS, argv, process.env);
  if (help) {
    process.stdout.write(formatHelp('fieldstation up [options]', SUMMARY, OPTIONS));
    return 0;
  }
  const logger = createLogger(requiredString(values, 'log-level'), 'fieldstation');
  const server = new StationServer({
    dataDir: dataDir(values),
    credentialsFile: credentialsFile(values),
    mqtt: { host: requiredString(values, 'mqtt-host'), port: portOption(values, 'mqtt-port') },
    http: { host: requiredString(values, 'http-host'), port: portOption(values, 'http-port') },
    influx: influxConfig(values),
    alertsFile: stringOption(values, 'alerts-file'),
    simulate: values.simulate === true ? {} : undefined,
    logger,
  });
  return runUntilSignal(
    [
      {
        name: 'station server',
        start: async () => {
          const addresses = await server.start();
          logger.info(addresses, 'station server ready');
        },
        stop: () => server.stop(),
      },
    ],
    logger,
  );
}
