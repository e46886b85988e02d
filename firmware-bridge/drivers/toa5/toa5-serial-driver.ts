import { ReadlineParser } from '@serialport/parser-readline';
import type { Logger } from 'pino';
import type { BackoffPolicy } from '../../../backoff/index.js';
import type { Clock } from '../../clock.js';

import { SensorError } from '../../errors.js';
import type { DriverPort, DriverSensor, DriverSink, SensorDriver } from '../driver.js';
import { SerialConnection } from '../serial/serial-connection.js';
import type { Toa5DriverConfig, Toa5Protocol } from './config.js';
import { Toa5TableReader } from './toa5-table-reader.js';
import { parseUtcOffset } from './toa5-time.js';

export type Toa5SensorConfig = DriverSensor<Toa5DriverConfig>;
export type Toa5PortConfig = DriverPort<Toa5Protocol>;

export interface Toa5SerialDriverOptions {
  port: Toa5PortConfig;
  sensors: readonly Toa5SensorConfig[];
  sink: DriverSink;
  logger: Logger;
  clock?: Clock;
  retry?: BackoffPolicy;
}

/**
 * Reads the TOA5 table a logger sends on a serial port: header lines, then one row per record.
 * The header is kept across a reopen of the port, since the logger's table has not changed.
 */
export class Toa5SerialDriver implements SensorDriver {
  readonly name: string;
  private readonly connection: SerialConnection;
  private readonly reader: Toa5TableReader;

  constructor(options: Toa5SerialDriverOptions) {
    this.name = `toa5:${options.port.id}`;
    const logger = options.logger.child({ driver: this.name, path: options.port.path });
    const context = { port: options.port.id };
    const sensorIds = options.sensors.map((sensor) => sensor.id);
    this.reader = new Toa5TableReader({
      source: `port ${options.port.id}`,
      context,
      sensors: options.sensors.map((sensor) => ({ id: sensor.id, column: sensor.driver.column })),
      offsetMinutes: parseUtcOffset(options.port.protocol.utcOffset),
      sink: options.sink,
      logger,
      skipTaken: false,
    });
    this.connection = new SerialConnection({
      transport: options.port,
      logger,
      clock: options.clock,
      retry: options.retry,
      onOpen: (serial) => {
        const lines = serial.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' }));
        lines.on('data', (line: string) => this.reader.pushLine(line));
      },
      onFault: (code, message, cause) =>
        options.sink.error(new SensorError(code, message, sensorIds, context, { cause })),
    });
  }

  start(): Promise<void> {
    return this.connection.start();
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }
}
