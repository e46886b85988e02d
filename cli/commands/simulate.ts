import { join } from 'node:path';
import { provisionAccount } from '../../broker/index.js';
import { type EmulatedStations, startEmulatedStations } from '../../emulators/index.js';
import { type Simulation, simulatorConfigs, startSimulation } from '../../firmware-bridge/index.js';
import type { Part } from '../lifecycle.js';
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
    "are (re)issued in the broker's credentials file, which the broker picks up by itself.\n" +
    'With --serial it runs the instruments of the reference gateways (config/jinfo-cave-gw.yaml,\n' +
    'config/xuefeng-line-gw.yaml) instead, emulated on virtual serial ports, and writes gateway configs that\n' +
    'read them: rehearse `fieldstation gateway check --config ...` on a laptop.',
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
    {
      flag: 'serial',
      kind: 'boolean',
      description: "emulate the reference gateways' instruments on virtual serial ports (needs socat)",
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
    if (values.serial === true) {
      const dir = join(dataDir(values), 'emulated');
      return [
        emulatedInstruments(dir, options.intervalScale, async (station, gateway) => ({
          url: options.mqttUrl,
          ...(await options.credentials(station, gateway)),
        })),
      ];
    }
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

const REFERENCE_GATEWAYS = [
  { config: 'jinfo-cave-gw.yaml', signals: 'jinfo.yaml' },
  { config: 'xuefeng-line-gw.yaml', signals: 'xuefeng.yaml' },
] as const;

function emulatedInstruments(
  dir: string,
  intervalScale: number,
  mqtt: Parameters<typeof startEmulatedStations>[0]['mqtt'],
): Part {
  let stations: EmulatedStations | undefined;
  return {
    name: 'emulated instruments',
    start: async () => {
      stations = await startEmulatedStations({
        gateways: REFERENCE_GATEWAYS.map(({ config, signals }) => ({
          configFile: bundledConfig(config),
          signalsFile: bundledConfig('simulate', signals),
        })),
        dir,
        intervalScale,
        mqtt,
      });
      process.stdout.write(
        [
          'The instruments of the reference gateways are running on virtual serial ports. Try:',
          ...stations.configFiles.map((file) => `  fieldstation gateway check --config ${file}`),
          'or run a gateway on them (publishing to the broker):',
          ...stations.configFiles.map((file) => `  fieldstation gateway --config ${file}`),
          'Ctrl-C stops the instruments.',
          '',
        ].join('\n'),
      );
    },
    stop: async () => stations?.stop(),
  };
}
