import { join } from 'node:path';
import { provisionAccount } from '../../broker/index.js';
import { startSimulation } from '../../firmware-bridge/index.js';
import { runUntilSignal } from '../lifecycle.js';
import { createLogger } from '../logger.js';
import { COMMON_OPTIONS, credentialsFile, dataDir } from '../option-sets.js';
import {
  formatHelp,
  type OptionSpec,
  parseCommandLine,
  requiredString,
  stringOption,
  UsageError,
} from '../options.js';

const OPTIONS: readonly OptionSpec[] = [
  ...COMMON_OPTIONS,
  {
    flag: 'mqtt-url',
    env: 'FS_MQTT_URL',
    kind: 'string',
    default: 'mqtt://127.0.0.1:1883',
    description: 'broker to publish to',
  },
  {
    flag: 'credentials-file',
    env: 'FS_CREDENTIALS_FILE',
    kind: 'string',
    description: "the broker's accounts file; the simulated gateways' accounts are (re)issued in it",
  },
  {
    flag: 'interval-scale',
    env: 'FS_SIMULATE_INTERVAL_SCALE',
    kind: 'string',
    default: '1',
    description: 'multiplies every sampling interval; 0.01 samples a hundred times faster',
  },
];

const SUMMARY =
  'Runs simulated gateways of both stations (Jinfo karst, Xuefeng icing) with realistic signals against a\n' +
  'running broker on this machine, for demos and load tests. Their configs are in config/simulate/.';

function intervalScale(text: string | undefined): number {
  const scale = Number(text);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new UsageError(`--interval-scale must be a positive number, got "${text}"`);
  }
  return scale;
}

export async function simulateCommand(argv: readonly string[]): Promise<number> {
  const { values, help } = parseCommandLine(OPTIONS, argv, process.env);
  if (help) {
    process.stdout.write(formatHelp('fieldstation simulate [options]', SUMMARY, OPTIONS));
    return 0;
  }
  const logger = createLogger(requiredString(values, 'log-level'), 'simulate');
  const file = credentialsFile(values);
  const options = {
    mqttUrl: requiredString(values, 'mqtt-url'),
    dataDir: join(dataDir(values), 'simulated-gateways'),
    intervalScale: intervalScale(stringOption(values, 'interval-scale')),
    credentials: (station: string, gateway: string) =>
      provisionAccount(file, { kind: 'gateway', station, gateway }),
    logger,
  };
  let stop: () => Promise<void> = async () => {};
  return runUntilSignal(
    [
      {
        name: 'simulated gateways',
        start: async () => {
          stop = (await startSimulation(options)).stop;
        },
        stop: () => stop(),
      },
    ],
    logger,
  );
}
