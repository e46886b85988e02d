import { ReadlineParser } from '@serialport/parser-readline';
import type { Logger } from 'pino';
import { SerialPort } from 'serialport';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from '../backoff.js';
import { type Clock, systemClock, type Timer } from '../clock.js';
import {
  channelOf,
  type SensorConfig,
  type SerialLineDriverConfig,
  type SerialPortConfig,
} from '../config/schema.js';
import { type GatewayErrorCode, SensorError } from '../errors.js';
import type { DriverSink, SensorDriver } from './driver.js';
import { type LineRoute, lineRoute, parseLine } from './line-parser.js';

export type SerialSensorConfig = SensorConfig & { driver: SerialLineDriverConfig };

export interface SerialLineDriverOptions {
  port: SerialPortConfig;
  /** The sensors whose driver names this port. */
  sensors: readonly SerialSensorConfig[];
  sink: DriverSink;
  logger: Logger;
  clock?: Clock;
  retry?: BackoffOptions;
}

/** Reads newline-terminated text from one serial port and turns each line into a sample for one of its sensors. */
export class SerialLineDriver implements SensorDriver {
  readonly name: string;
  private readonly route: LineRoute;
  private readonly sensorIds: readonly string[];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private serial: SerialPort | undefined;
  private retryTimer: Timer | undefined;
  private attempt = 0;
  private stopped = true;

  constructor(private readonly options: SerialLineDriverOptions) {
    this.name = `serial-line:${options.port.id}`;
    this.route = lineRoute(
      options.port.format,
      options.sensors.map((sensor) => ({ sensor: sensor.id, channel: channelOf(sensor) })),
    );
    this.sensorIds = options.sensors.map((sensor) => sensor.id);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child({ driver: this.name, path: options.port.path });
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const serial = this.serial;
    this.serial = undefined;
    if (serial?.isOpen) await new Promise<void>((resolve) => serial.close(() => resolve()));
  }

  private open(): Promise<void> {
    const { path, baudRate } = this.options.port;
    const serial = new SerialPort({ path, baudRate, autoOpen: false });
    this.serial = serial;
    const lines = serial.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'utf8' }));
    lines.on('data', (line: string) => this.onLine(line));
    serial.on('error', (error) => this.fail('SERIAL_CLOSED', `port error: ${error.message}`, error));
    serial.on('close', () => this.onClose(serial));
    return new Promise((resolve) => {
      serial.open((error) => {
        if (error) {
          this.fail('SERIAL_OPEN_FAILED', `cannot open ${path}: ${error.message}`, error);
          this.scheduleReopen();
        } else {
          this.attempt = 0;
          this.logger.info({ baudRate }, 'serial port open');
        }
        resolve();
      });
    });
  }

  private onClose(serial: SerialPort): void {
    if (this.stopped || serial !== this.serial) return;
    this.fail('SERIAL_CLOSED', `port ${this.options.port.path} closed`);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.options.retry ?? DEFAULT_BACKOFF);
    this.attempt += 1;
    this.logger.warn({ delayMs: delay, attempt: this.attempt }, 'reopening serial port');
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped) void this.open();
    }, delay);
  }

  private onLine(line: string): void {
    const result = parseLine(line, this.route);
    if (result.kind === 'sample') {
      this.options.sink.sample({
        sensor: result.sensor,
        value: result.value,
        timeMs: result.timeMs ?? this.clock.now(),
      });
    } else if (result.kind === 'error') {
      const sensors = result.sensor === undefined ? this.sensorIds : [result.sensor];
      this.logger.warn({ code: result.code, line: line.slice(0, 200), sensors }, result.reason);
      this.options.sink.error(
        new SensorError(result.code, result.reason, sensors, { port: this.options.port.id }),
      );
    }
  }

  private fail(code: GatewayErrorCode, message: string, cause?: Error): void {
    if (this.stopped) return;
    this.logger.warn({ code, err: cause }, message);
    const error = new SensorError(code, message, this.sensorIds, { port: this.options.port.id }, { cause });
    this.options.sink.error(error);
  }
}
