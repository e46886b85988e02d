import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimulatorDriverConfig } from '../../firmware-bridge/drivers/simulator/contract.js';
import type { GatewayConfig, SensorConfig } from '../../firmware-bridge/index.js';
import { parseGatewayConfig } from '../../firmware-bridge/index.js';
import type { DeviceEmulator } from '../device-emulation.js';
import { type PtyPair, startPtyPair } from '../pty-pair.js';
import { FILE_EMULATORS, portEmulator } from './emulator-catalogue.js';
import { rawValues } from './sensor-values.js';

type ConfigDocument = Record<string, unknown>;

export interface EmulatedGatewayOptions {
  /** The gateway's config as written (parsed YAML or JSON), with its real device paths. */
  document: ConfigDocument;
  /** The file it came from, for error messages. */
  configFile: string;
  /** Simulated signals by sensor id: what each emulated instrument measures. */
  signals: ReadonlyMap<string, SimulatorDriverConfig>;
  /**
   * What the instruments measure instead of the signals, by sensor id (undefined: the signal's
   * value): lets a rehearsal or a test drive a station into a state, e.g. icing weather.
   */
  measured?: (sensorId: string, timeMs: number) => number | undefined;
  /** Where the virtual cables, table files, outbox and rewritten config go. */
  dir: string;
  /** Multiplies every instrument's sending interval (default 1); none waits longer than 5 s. */
  intervalScale?: number;
  /** Replaces the config's top-level settings in the rewritten config, e.g. gateway id, mqtt. */
  overrides?: ConfigDocument;
}

export interface EmulatedGatewayStarted {
  /** The config with every device path pointing at an emulated instrument. */
  document: ConfigDocument;
  config: GatewayConfig;
}

const onPort = (sensors: readonly SensorConfig[], id: string) =>
  sensors.filter((sensor) => 'port' in sensor.driver && sensor.driver.port === id);

/**
 * A gateway's instruments, emulated: every serial port of its config becomes a virtual cable (a
 * socat PTY pair) with the matching instrument on the far end, every TOA5 file source a table file
 * that grows, and the config is rewritten to read them. What `fieldstation simulate --serial` runs so
 * a technician can rehearse `gateway check` on a laptop.
 */
export class EmulatedGateway {
  private readonly cables: PtyPair[] = [];
  private readonly devices: DeviceEmulator[] = [];

  constructor(private readonly options: EmulatedGatewayOptions) {}

  async start(): Promise<EmulatedGatewayStarted> {
    const { dir, configFile } = this.options;
    const reference = parseGatewayConfig(this.options.document, configFile);
    const values = rawValues(reference, this.options.signals, this.options.measured);
    const intervalScale = this.options.intervalScale ?? 1;
    const document = structuredClone(this.options.document);
    // A rehearsal starts afresh: a previous run's outbox and TOA5 positions describe instruments gone.
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, 'ports'), { recursive: true });
    await mkdir(join(dir, 'files'), { recursive: true });
    try {
      const ports = (document.serialPorts ?? []) as ConfigDocument[];
      for (const [index, port] of reference.serialPorts.entries()) {
        const cable = await startPtyPair({
          links: { a: join(dir, 'ports', `${port.id}.gateway`), b: join(dir, 'ports', `${port.id}.device`) },
        });
        this.cables.push(cable);
        (ports[index] as ConfigDocument).path = cable.a;
        const sensors = onPort(reference.sensors, port.id);
        this.devices.push(portEmulator({ port, path: cable.b, sensors, values, intervalScale }));
      }
      const files = (document.files ?? []) as ConfigDocument[];
      for (const [index, file] of reference.files.entries()) {
        const path = join(dir, 'files', `${file.id}.dat`);
        (files[index] as ConfigDocument).path = path;
        const emulate = FILE_EMULATORS[file.protocol.type];
        this.devices.push(emulate({ file, path, sensors: reference.sensors, values, intervalScale }));
      }
      for (const device of this.devices) await device.start();
    } catch (error) {
      await this.stop();
      throw error;
    }
    Object.assign(document, { outbox: { dir: join(dir, 'outbox') } }, this.options.overrides);
    return { document, config: parseGatewayConfig(document, join(dir, 'gateway.yaml')) };
  }

  async stop(): Promise<void> {
    for (const device of this.devices.splice(0).reverse()) await device.stop();
    for (const cable of this.cables.splice(0)) await cable.stop();
  }
}
