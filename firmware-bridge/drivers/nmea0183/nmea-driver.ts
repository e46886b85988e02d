import type { Logger } from 'pino';
import type { BackoffPolicy } from '../../../backoff/index.js';
import { type Clock, systemClock } from '../../clock.js';
import { type GatewayErrorCode, SensorError } from '../../errors.js';
import type { DriverPort, DriverSensor, DriverSink, SensorDriver } from '../driver.js';
import { LineBuffer, type LineChunk, MAX_LINE_BYTES } from '../serial/line-buffer.js';
import { SerialConnection } from '../serial/serial-connection.js';
import type { NmeaDriverConfig, NmeaPortProtocol } from './config.js';
import { NmeaSentenceReader, type ReadOutcome } from './sentence-reader.js';
import { SilenceWatch } from './silence-watch.js';

export type NmeaSensorConfig = DriverSensor<NmeaDriverConfig>;
export type NmeaPortConfig = DriverPort<NmeaPortProtocol>;

/** The same fault is logged at warn at most this often; in between at debug (a 1 Hz talker repeats itself). */
const WARN_EVERY_MS = 60_000;

export interface NmeaDriverOptions {
  port: NmeaPortConfig;
  /** The sensors whose driver names this port. */
  sensors: readonly NmeaSensorConfig[];
  sink: DriverSink;
  logger: Logger;
  clock?: Clock;
  retry?: BackoffPolicy;
}

/** Listens to one NMEA 0183 talker and hands each sensor the value it selects, plus GPS time to the gateway. */
export class NmeaDriver implements SensorDriver {
  readonly name: string;
  private readonly sensorIds: readonly string[];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly reader: NmeaSentenceReader;
  private readonly silence: SilenceWatch;
  private readonly connection: SerialConnection;
  private readonly warnedAt = new Map<string, number>();

  constructor(private readonly options: NmeaDriverOptions) {
    this.name = `nmea0183:${options.port.id}`;
    this.sensorIds = options.sensors.map((sensor) => sensor.id);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child({ driver: this.name, path: options.port.path });
    this.reader = new NmeaSentenceReader(options.port.protocol, options.sensors);
    this.silence = new SilenceWatch({
      intervals: new Map(options.sensors.map((sensor) => [sensor.id, sensor.intervalMs])),
      clock: this.clock,
      listening: () => this.connection.isOpen,
      onSilent: (sensor, silentForMs) =>
        this.fault('NMEA_SILENT', `nothing from the talker for this sensor in ${silentForMs} ms`, [sensor]),
    });
    this.connection = new SerialConnection({
      transport: options.port,
      logger: this.logger,
      clock: this.clock,
      retry: options.retry,
      onOpen: (serial) => {
        // Fresh per open: half a sentence from before the port was lost is not completed by the next.
        const buffer = new LineBuffer(MAX_LINE_BYTES);
        this.reader.reset();
        this.silence.restart();
        serial.on('data', (chunk: Buffer) => {
          for (const item of buffer.push(chunk)) this.onChunk(item);
        });
      },
      onFault: (code, message, cause) => this.report(code, message, this.sensorIds, cause),
    });
  }

  async start(): Promise<void> {
    this.silence.start();
    await this.connection.start();
  }

  async stop(): Promise<void> {
    this.silence.stop();
    await this.connection.stop();
  }

  private onChunk(chunk: LineChunk): void {
    if (chunk.kind === 'overflow') {
      this.fault('NMEA_TOO_LONG', `line longer than ${MAX_LINE_BYTES} bytes`, this.sensorIds);
      return;
    }
    const receivedAtMs = this.clock.now();
    for (const outcome of this.reader.read(chunk.text, receivedAtMs)) this.deliver(outcome, receivedAtMs);
  }

  private deliver(outcome: ReadOutcome, receivedAtMs: number): void {
    switch (outcome.kind) {
      case 'sample':
        this.silence.heard(outcome.sensor);
        this.options.sink.sample({ sensor: outcome.sensor, value: outcome.value, timeMs: receivedAtMs });
        return;
      case 'error':
        if (outcome.scope === 'sensors') for (const sensor of outcome.sensors) this.silence.heard(sensor);
        this.fault(outcome.code, outcome.reason, outcome.sensors);
        return;
      case 'time':
        this.options.sink.timeReference?.({ source: 'gps', timeMs: outcome.timeMs, receivedAtMs });
        return;
    }
  }

  /** A fault the driver saw in what the talker sent (the connection logs the port's own faults). */
  private fault(code: GatewayErrorCode, message: string, sensors: readonly string[]): void {
    const key = `${code}|${sensors.join(',')}`;
    const now = this.clock.now();
    const last = this.warnedAt.get(key);
    const level = last === undefined || now - last >= WARN_EVERY_MS ? 'warn' : 'debug';
    if (level === 'warn') this.warnedAt.set(key, now);
    this.logger[level]({ code, sensors }, message);
    this.report(code, message, sensors);
  }

  private report(code: GatewayErrorCode, message: string, sensors: readonly string[], cause?: Error): void {
    const context = { port: this.options.port.id };
    this.options.sink.error(new SensorError(code, message, sensors, context, { cause }));
  }
}
