import { join } from 'node:path';
import { provisionAccount } from '../../broker/index.js';
import { type Simulation, simulatorConfigs, startSimulation } from '../../firmware-bridge/index.js';
import { COMMON_OPTIONS, credentialsFile, dataDir } from '../option-sets.js';
import { requiredString, stringOption, UsageError } from '../options.js';
import { bundledConfig } from '../package-root.js';
import { serviceCommand } from '../service-command.js';

function intervalScale(text: string | undefined): number {
  const scale = Number(text);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new UsageError(`--interval-scale must be a positive number, got "${text}"`);
  }
  return scale;
}

export const simulateCommand = serviceCommand({
  name: 'simulate',
  usage: 'fieldstation simulate [options]',
  summary:
    'Runs simulated gateways of both stations (Jinfo karst, Xuefeng icing) with realistic signals against a\n' +
    'broker on this machine, for demos and load tests. Their configs are in config/simulate/; their accounts\n' +
    "are (re)issued in the broker's credentials file, which the broker picks up by itself.",
  options: [
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
      description: "the broker's accounts file; default DATA_DIR/broker/accounts.json",
    },
    {
      flag: 'interval-scale',
      env: 'FS_SIMULATE_INTERVAL_SCALE',
      kind: 'string',
      default: '1',
      description: 'multiplies every sampling interval; 0.01 samples a hundred times faster',
    },
  ],
  build: (values, logger) => {
    const file = credentialsFile(values);
    const options = {
      mqttUrl: requiredString(values, 'mqtt-url'),
      dataDir: join(dataDir(values), 'simulated-gateways'),
      intervalScale: intervalScale(stringOption(values, 'interval-scale')),
      credentials: (station: string, gateway: string) =>
        provisionAccount(file, { kind: 'gateway', station, gateway }),
      logger,
    };
    let simulation: Simulation | undefined;
    return [
      {
        name: 'simulated gateways',
        start: async () => {
          simulation = await startSimulation({
            ...options,
            configFiles: await simulatorConfigs(bundledConfig('simulate')),
          });
        },
        stop: async () => simulation?.stop(),
      },
    ];
  },
});
