import type { SerialPort } from 'serialport';
import { closeDevicePort, openDevicePort } from '../device-port.js';
import { EmulatedSdi12Sensor, type EmulatedSdi12SensorConfig, type Sdi12Fault } from './emulated-sensor.js';

export interface Sdi12AdapterEmulatorOptions {
  /** The device end of a PTY pair (the driver opens the other end). */
  path: string;
  baudRate?: number;
  sensors: readonly EmulatedSdi12SensorConfig[];
  valueOf(channel: string, timeMs: number): number;
  /** Echo each command back before the reply, as some adapters do. */
  echo?: boolean;
}

const MAX_COMMAND_CHARS = 16;

/**
 * A USB SDI-12 adapter with sensors behind it, on a serial port: takes ASCII commands ending in
 * `!`, answers each with the addressed sensor's reply line (CR LF), and sends a sensor's service
 * request line when its measurement is ready. Commands to an absent address get no answer.
 */
export class Sdi12AdapterEmulator {
  /** Every command received, in order, for tests to count measurement cycles. */
  readonly commands: string[] = [];
  private readonly sensors: Map<string, EmulatedSdi12Sensor>;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private port: SerialPort | undefined;
  private pending = '';

  constructor(private readonly options: Sdi12AdapterEmulatorOptions) {
    this.sensors = new Map(
      options.sensors.map((config) => [config.address, new EmulatedSdi12Sensor(config, options.valueOf)]),
    );
  }

  async start(): Promise<void> {
    const port = await openDevicePort({
      path: this.options.path,
      baudRate: this.options.baudRate ?? 9600,
    });
    port.on('data', (chunk: Buffer) => this.onData(chunk.toString('latin1')));
    port.on('error', () => undefined);
    this.port = port;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const port = this.port;
    this.port = undefined;
    await closeDevicePort(port);
  }

  /** Makes the sensor at `address` misbehave; undefined heals it. */
  setFault(address: string, fault: Sdi12Fault | undefined): void {
    const sensor = this.sensors.get(address);
    if (sensor === undefined) throw new Error(`no emulated SDI-12 sensor at address "${address}"`);
    sensor.fault = fault;
  }

  private onData(text: string): void {
    this.pending += text;
    for (let end = this.pending.indexOf('!'); end >= 0; end = this.pending.indexOf('!')) {
      const command = this.pending.slice(0, end).replace(/[\s\0]/g, '');
      this.pending = this.pending.slice(end + 1);
      this.onCommand(command);
    }
    if (this.pending.length > MAX_COMMAND_CHARS) this.pending = '';
  }

  private onCommand(command: string): void {
    this.commands.push(`${command}!`);
    if (this.options.echo) this.send(`${command}!`);
    if (command === '?') {
      const first = [...this.sensors.values()].find((sensor) => sensor.fault !== 'silent');
      if (first !== undefined) this.send(first.address);
      return;
    }
    const sensor = this.sensors.get(command.charAt(0));
    if (sensor === undefined) return;
    const answer = sensor.answer(command.slice(1), Date.now());
    if (answer.lines.length > 0) this.send(...answer.lines);
    const later = answer.later;
    if (later !== undefined) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.send(later.line);
      }, later.afterMs);
      this.timers.add(timer);
    }
  }

  /** Writes the lines in one go, as an adapter passes on what the bus gave it in one breath. */
  private send(...lines: string[]): void {
    if (this.port?.isOpen) this.port.write(lines.map((line) => `${line}\r\n`).join(''), 'latin1');
  }
}
