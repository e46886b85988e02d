import type { Logger } from 'pino';
import type { BackoffPolicy } from '../../../backoff/index.js';
import { type Clock, systemClock } from '../../clock.js';
import { type GatewayErrorCode, SensorError } from '../../errors.js';
import type { DriverPort, DriverSensor, DriverSink, SensorDriver } from '../driver.js';
import { LineBuffer, type LineChunk, MAX_LINE_BYTES } from '../serial/line-buffer.js';
import { SerialConnection } from '../serial/serial-connection.js';
import { channelOf, type LineFormat, type SerialLineDriverConfig } from './config.js';
import { type LineRoute, lineRoute, parseLine } from './line-parser.js';

export type SerialSensorConfig = DriverSensor<SerialLineDriverConfig>;
export type LinePortConfig = DriverPort<LineFormat>;

export interface SerialLineDriverOptions {
  port: LinePortConfig;
  /** The sensors whose driver names this port. */
  sensors: readonly SerialSensorConfig[];
  sink: DriverSink;
  logger: Logger;
  clock?: Clock;
  retry?: BackoffPolicy;
}

/** Reads newline-terminated text from one serial port and turns each line into a sample for one of its sensors. */
export class SerialLineDriver implements SensorDriver {
  readonly name: string;
  private readonly route: LineRoute;
  private readonly sensorIds: readonly string[];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly connection: SerialConnection;

  constructor(private readonly options: SerialLineDriverOptions) {
    this.name = `serial-line:${options.port.id}`;
    this.route = lineRoute(
      options.port.protocol,
      options.sensors.map((sensor) => ({ sensor: sensor.id, channel: channelOf(sensor) })),
    );
    this.sensorIds = options.sensors.map((sensor) => sensor.id);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child({ driver: this.name, path: options.port.path });
    this.connection = new SerialConnection({
      transport: options.port,
      logger: this.logger,
      clock: this.clock,
      retry: options.retry,
      onOpen: (serial) => {
        // A fresh buffer per open: half a line from before the port was lost is not completed by the next.
        const buffer = new LineBuffer(MAX_LINE_BYTES);
        serial.on('data', (chunk: Buffer) => {
          for (const item of buffer.push(chunk)) this.onChunk(item);
        });
      },
      onFault: (code, message, cause) => this.report(code, message, this.sensorIds, cause),
    });
  }

  start(): Promise<void> {
    return this.connection.start();
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }

  private onChunk(chunk: LineChunk): void {
    if (chunk.kind === 'line') {
      this.onLine(chunk.text);
      return;
    }
    const reason = `line longer than ${MAX_LINE_BYTES} bytes`;
    this.logger.warn({ code: 'LINE_TOO_LONG', sensors: this.sensorIds }, reason);
    this.report('LINE_TOO_LONG', reason, this.sensorIds);
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
      this.report(result.code, result.reason, sensors);
    }
  }

  private report(code: GatewayErrorCode, message: string, sensors: readonly string[], cause?: Error): void {
    const context = { port: this.options.port.id };
    this.options.sink.error(new SensorError(code, message, sensors, context, { cause }));
  }
}
