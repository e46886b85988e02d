import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
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

/** Builds (does not start) one simulated gateway per config, both stations by default. */
export async function createSimulatedGateways(options: SimulateOptions): Promise<Gateway[]> {
  return Promise.all(
    options.configFiles.map(async (file) => {
      const config = await loadGatewayConfig(file);
      requireSimulated(config, file);
      const credentials = await options.credentials?.(config.station, config.gateway);
      return new Gateway({
        config,
        logger: options.logger,
        mqtt: { url: options.mqttUrl, username: credentials?.username, password: credentials?.password },
        outboxDir: join(options.dataDir, config.station, config.gateway, 'outbox'),
        intervalScale: options.intervalScale,
        drainTimeoutMs: options.drainTimeoutMs,
        software: 'fieldstation-simulator',
      });
    }),
  );
}

export interface Simulation {
  readonly gateways: readonly Gateway[];
  stop(): Promise<void>;
}

/** Starts the simulated gateways; `stop()` stops them all (each flushes its outbox and says offline). */
export async function startSimulation(options: SimulateOptions): Promise<Simulation> {
  const gateways = await createSimulatedGateways(options);
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
    stop: async () => {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
    },
  };
}
