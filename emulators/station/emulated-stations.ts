import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { SimulatorDriverConfig } from '../../firmware-bridge/drivers/simulator/contract.js';
import { loadGatewayConfig, readConfigDocument } from '../../firmware-bridge/index.js';
import { EmulatedGateway } from './emulated-gateway.js';

export interface EmulatedGatewaySpec {
  /** A real gateway config, e.g. config/jinfo-cave-gw.yaml. */
  configFile: string;
  /** A simulator config whose sensors, by id, give the emulated instruments their signals. */
  signalsFile: string;
}

export interface EmulatedStationsOptions {
  gateways: readonly EmulatedGatewaySpec[];
  /** Each gateway gets `{dir}/{station}-{gateway}/` with its cables, files, outbox and config. */
  dir: string;
  intervalScale?: number;
  /** The broker the rewritten configs publish to, with the account for each emulated gateway. */
  mqtt: (station: string, gateway: string) => Promise<{ url: string; username?: string; password?: string }>;
}

export interface EmulatedStations {
  /** The rewritten gateway configs, ready for `gateway check --config` and `gateway --config`. */
  configFiles: string[];
  stop(): Promise<void>;
}

/** The emulated gateway's id: never the real one, so a rehearsal cannot take over its account or series. */
export const emulatedGatewayId = (gateway: string): string => `${gateway}-emu`;

async function signalsOf(file: string): Promise<Map<string, SimulatorDriverConfig>> {
  const config = await loadGatewayConfig(file);
  return new Map(
    config.sensors.flatMap((sensor) =>
      sensor.driver.type === 'simulator' ? [[sensor.id, sensor.driver]] : [],
    ),
  );
}

async function startOne(spec: EmulatedGatewaySpec, options: EmulatedStationsOptions) {
  const reference = await loadGatewayConfig(spec.configFile);
  const gateway = emulatedGatewayId(reference.gateway);
  const dir = join(options.dir, `${reference.station}-${gateway}`);
  const { password, ...mqtt } = await options.mqtt(reference.station, gateway);
  const emulated = new EmulatedGateway({
    document: (await readConfigDocument(spec.configFile)) as Record<string, unknown>,
    configFile: spec.configFile,
    signals: await signalsOf(spec.signalsFile),
    dir,
    intervalScale: options.intervalScale,
    overrides: {
      gateway,
      mqtt: { ...mqtt, ...(password === undefined ? {} : { passwordFile: 'mqtt-password' }) },
    },
  });
  const { document } = await emulated.start();
  const configFile = join(dir, 'gateway.yaml');
  const header = `# ${spec.configFile} with every instrument emulated on a virtual serial port (fieldstation simulate --serial).\n`;
  try {
    if (password !== undefined) await writeFile(join(dir, 'mqtt-password'), `${password}\n`, { mode: 0o600 });
    await writeFile(configFile, header + stringify(document));
  } catch (error) {
    await emulated.stop();
    throw error;
  }
  return { emulated, configFile };
}

/** Emulates the instruments of each gateway and writes a config that reads them. */
export async function startEmulatedStations(options: EmulatedStationsOptions): Promise<EmulatedStations> {
  const started: { emulated: EmulatedGateway; configFile: string }[] = [];
  const stop = async () => {
    for (const { emulated } of started.splice(0).reverse()) await emulated.stop();
  };
  try {
    for (const spec of options.gateways) started.push(await startOne(spec, options));
  } catch (error) {
    await stop();
    throw error;
  }
  return { configFiles: started.map(({ configFile }) => configFile), stop };
}
