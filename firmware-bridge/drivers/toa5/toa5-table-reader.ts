import type { Logger } from 'pino';
import { type GatewayErrorCode, type GatewayErrorContext, SensorError } from '../../errors.js';
import type { DriverSink } from '../driver.js';
import { checkRecord, isAfter, type TablePosition } from './record-order.js';
import { type Toa5Header, Toa5Parser, type Toa5Row } from './toa5-parser.js';

/** A sensor fed by one column of the table. */
export interface ColumnSensor {
  id: string;
  column: string;
}

export interface Toa5TableReaderOptions {
  /** `port usb0` or `file cr1000x-met`: names the source in messages. */
  source: string;
  context: GatewayErrorContext;
  sensors: readonly ColumnSensor[];
  offsetMinutes: number;
  sink: DriverSink;
  logger: Logger;
  /** The last row delivered in an earlier run, to continue from. */
  resumeFrom?: TablePosition;
  /**
   * Skip rows that are not after the last one taken: for files, which are read again from the top
   * after a restart and may be rewritten by LoggerNet. A serial stream never repeats itself.
   */
  skipTaken: boolean;
}

/** `NAN` is how a Campbell logger writes "no value"; `INF`/`-INF` an overrange. */
const NO_VALUE = new Set(['NAN', 'INF', '+INF', '-INF']);
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Turns the lines of one TOA5 table into samples for the sensors reading its columns, and its faults
 * into sensor errors: missing columns, NAN cells, malformed rows, RECORD gaps and resets.
 */
export class Toa5TableReader {
  private readonly parser: Toa5Parser;
  private readonly allIds: string[];
  private columns = new Map<string, number>();
  private last: TablePosition | undefined;
  private headerMissingReported = false;

  constructor(private readonly options: Toa5TableReaderOptions) {
    this.parser = new Toa5Parser(options.offsetMinutes);
    this.allIds = options.sensors.map((sensor) => sensor.id);
    this.last = options.resumeFrom;
  }

  /** The last row taken (delivered or, while not delivering, passed over). */
  get position(): TablePosition | undefined {
    return this.last;
  }

  /** The source starts over (a file truncated or replaced): a new header must come first. */
  restart(): void {
    this.parser.reset();
    this.columns = new Map();
  }

  /** @param deliver false while skipping the backlog of a file: rows only move the position. */
  pushLine(line: string, deliver = true): void {
    const event = this.parser.push(line);
    if (event === undefined) return;
    if (event.kind === 'header') this.onHeader(event.header);
    else if (event.kind === 'row') this.onRow(event.row, deliver);
    else if (event.code !== 'TOA5_HEADER_MISSING') this.report(event.code, event.reason, this.allIds);
    else if (!this.headerMissingReported) {
      // Joining a stream whose header went by is how a gateway usually starts, not a sensor fault:
      // logged, and the rows are skipped until the logger repeats its header.
      this.headerMissingReported = true;
      this.options.logger.warn(
        { code: event.code, source: this.options.source },
        `${event.reason}: skipping rows until the logger sends its header`,
      );
    }
  }

  private onHeader(header: Toa5Header): void {
    this.headerMissingReported = false;
    this.columns = new Map(header.fields.map((field, index) => [field, index]));
    const { logger, source } = this.options;
    logger.info(
      { table: header.table, station: header.station, program: header.program, fields: header.fields.length },
      `TOA5 header from ${source}`,
    );
    for (const sensor of this.options.sensors) {
      if (this.columns.has(sensor.column)) continue;
      const present = header.fields.join(', ');
      this.report(
        'TOA5_COLUMN_MISSING',
        `column "${sensor.column}" is not in table "${header.table}" of ${source}; columns: ${present}`,
        [sensor.id],
      );
    }
  }

  private onRow(row: Toa5Row, deliver: boolean): void {
    const last = this.last;
    if (last !== undefined && this.options.skipTaken && !isAfter(row, last)) return;
    this.last = { record: row.record, timeMs: row.timeMs };
    if (!deliver) return;
    if (last !== undefined) this.checkSequence(last.record, row.record);
    for (const sensor of this.options.sensors) {
      const index = this.columns.get(sensor.column);
      if (index !== undefined) this.deliverCell(sensor, row.cells[index] ?? '', row);
    }
  }

  private checkSequence(previous: number, record: number): void {
    const check = checkRecord(previous, record);
    if (check.kind === 'gap') {
      this.report(
        'TOA5_RECORD_GAP',
        `${check.missing} record(s) missing from ${this.options.source}: RECORD ${previous} then ${record}`,
        this.allIds,
      );
    } else if (check.kind === 'reset') {
      this.report(
        'TOA5_LOGGER_RESET',
        `RECORD went back from ${check.from} to ${check.to} on ${this.options.source}: logger reset or program changed`,
        this.allIds,
      );
    }
  }

  private deliverCell(sensor: ColumnSensor, cell: string, row: Toa5Row): void {
    const where = `${sensor.column} at RECORD ${row.record}`;
    const value = Number(cell);
    if (NO_VALUE.has(cell.toUpperCase())) {
      this.report('TOA5_VALUE_MISSING', `${where} is ${cell}: no value`, [sensor.id]);
    } else if (!NUMBER.test(cell) || !Number.isFinite(value)) {
      // The pattern lets through 1e999 and 400 digits, which a double holds only as Infinity.
      this.report('TOA5_VALUE_INVALID', `${where} is "${cell.slice(0, 40)}", not a number`, [sensor.id]);
    } else {
      this.options.sink.sample({ sensor: sensor.id, value, timeMs: row.timeMs });
    }
  }

  private report(code: GatewayErrorCode, message: string, sensors: readonly string[]): void {
    this.options.logger.warn({ code, sensors }, message);
    this.options.sink.error(new SensorError(code, message, sensors, this.options.context));
  }
}
