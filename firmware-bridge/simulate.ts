import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  type GatewayHistory,
  type HistoryOptions,
  prepareSimulatedHistory,
} from './backfill/simulated-history.js';
import { loadGatewayConfig } from './config/load.js';
import type { GatewayConfig } from './config/schema.js';
import { ConfigError } from './errors.js';
import { Gateway } from './gateway.js';

export interface MqttCredentials {
  username: string;
  password: string;
}

export interface SimulateOptions {
  mqttUrl: string;
  /** Each simulated gateway's broker account; omit for a broker without authentication. */
  credentials?: (station: string, gateway: string) => MqttCredentials | Promise<MqttCredentials>;
  /** Outboxes go to `{dataDir}/{station}/{gateway}/outbox`. */
  dataDir: string;
  /** Multiplies every sampling interval: 0.01 samples a hundred times faster, for load tests. */
  intervalScale?: number;
  /** Simulator configs, e.g. `simulatorConfigs('config/simulate')`. */
  configFiles: readonly string[];
  drainTimeoutMs?: number;
  /**
   * Days of past readings to deliver before the live ones (the demo's week). Without it nothing is
   * written, but a shift of the weather recorded by an earlier backfill is still kept.
   */
  history?: HistoryOptions;
  logger: Logger;
}

/** The simulator configs (YAML or JSON) in `dir`, in name order. */
export async function simulatorConfigs(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => /\.(ya?ml|json)$/.test(name)).sort();
  return names.map((name) => join(dir, name));
}

/** A simulation reads no device: its sensors are simulated or derived from simulated ones. */
function requireSimulated(config: GatewayConfig, file: string): void {
  const real = config.sensors.findIndex((sensor) => !['simulator', 'derived'].includes(sensor.driver.type));
  if (real >= 0) {
    const message = `${file}: sensors[${real}].driver.type: expected "simulator" or "derived" in a simulation config`;
    throw new ConfigError('CONFIG_INVALID', message, file, [message]);
  }
}

/** A simulated gateway, not started, with the history its outbox holds for it (if any). */
export interface SimulatedGateway {
  gateway: Gateway;
  history: GatewayHistory | undefined;
}

/**
 * Builds (does not start) one simulated gateway per config, both stations by default, after
 * writing their backfill into their outboxes when `history` asks for one. One after the other: the
 * backfill is CPU work, and two at once would only take turns.
 */
export async function createSimulatedGateways(options: SimulateOptions): Promise<SimulatedGateway[]> {
  const built: SimulatedGateway[] = [];
  for (const file of options.configFiles) {
    const loaded = await loadGatewayConfig(file);
    requireSimulated(loaded, file);
    const dir = join(options.dataDir, loaded.station, loaded.gateway);
    const { config, history } = await prepareSimulatedHistory(
      loaded,
      dir,
      options.history ?? { days: 0 },
      options.logger,
    );
    const credentials = await options.credentials?.(config.station, config.gateway);
    const gateway = new Gateway({
      config,
      logger: options.logger,
      mqtt: { url: options.mqttUrl, username: credentials?.username, password: credentials?.password },
      outboxDir: join(dir, 'outbox'),
      intervalScale: options.intervalScale,
      drainTimeoutMs: options.drainTimeoutMs,
      software: 'fieldstation-simulator',
    });
    built.push({ gateway, history });
  }
  return built;
}

export interface Simulation {
  readonly gateways: readonly Gateway[];
  /** The gateways with their histories, in config order. */
  readonly simulated: readonly SimulatedGateway[];
  stop(): Promise<void>;
}

/** Starts the simulated gateways; `stop()` stops them all (each flushes its outbox and says offline). */
export async function startSimulation(options: SimulateOptions): Promise<Simulation> {
  const simulated = await createSimulatedGateways(options);
  const gateways = simulated.map(({ gateway }) => gateway);
  const started: Gateway[] = [];
  try {
    for (const gateway of gateways) {
      await gateway.start();
      started.push(gateway);
    }
  } catch (error) {
    await Promise.all(started.map((gateway) => gateway.stop()));
    throw error;
  }
  return {
    gateways,
    simulated,
    stop: async () => {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
    },
  };
}
