import { join } from 'node:path';
import type { Logger } from 'pino';
import { type Clock, systemClock, type Timer } from '../../clock.js';
import { type GatewayErrorCode, SensorError } from '../../errors.js';
import type { DriverSink, SensorDriver } from '../driver.js';
import type { FileSource } from './config.js';
import { FileFollower } from './file-follower.js';
import type { TablePosition } from './record-order.js';
import { readResumeState, writeResumeState } from './resume-state.js';
import type { Toa5SensorConfig } from './toa5-serial-driver.js';
import { Toa5TableReader } from './toa5-table-reader.js';
import { parseUtcOffset } from './toa5-time.js';

/** How often the position is saved; what is saved lags one period behind, see savePosition(). */
export const STATE_SAVE_INTERVAL_MS = 5000;

export interface Toa5FileDriverOptions {
  file: FileSource;
  sensors: readonly Toa5SensorConfig[];
  sink: DriverSink;
  logger: Logger;
  /** Where `<file id>.json` remembers the last row delivered. */
  stateDir: string;
  clock?: Clock;
}

/**
 * Follows a TOA5 file that LoggerNet appends to and delivers each new row once, across gateway
 * restarts: the last row delivered is saved, and rows not after it are skipped when the file is
 * read again. A truncated or replaced file is read from its new header on.
 */
export class Toa5FileDriver implements SensorDriver {
  readonly name: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly stateFile: string;
  private readonly sensorIds: string[];
  private reader: Toa5TableReader | undefined;
  private follower: FileFollower | undefined;
  private saveTimer: Timer | undefined;
  private saving: Promise<void> = Promise.resolve();
  private saved: TablePosition | undefined;
  private handedOver: TablePosition | undefined;
  private stopped = true;

  constructor(private readonly options: Toa5FileDriverOptions) {
    this.name = `toa5:file:${options.file.id}`;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child({ driver: this.name, path: options.file.path });
    this.stateFile = join(options.stateDir, `${options.file.id}.json`);
    this.sensorIds = options.sensors.map((sensor) => sensor.id);
  }

  async start(): Promise<void> {
    this.stopped = false;
    const { file } = this.options;
    this.saved = await this.readState();
    const reader = new Toa5TableReader({
      source: `file ${file.id}`,
      context: { file: file.path },
      sensors: this.options.sensors.map((sensor) => ({ id: sensor.id, column: sensor.driver.column })),
      offsetMinutes: parseUtcOffset(file.protocol.utcOffset),
      sink: this.options.sink,
      logger: this.logger,
      resumeFrom: this.saved,
      skipTaken: true,
    });
    // With nothing remembered, rows already in the file are history the operator did not ask for.
    const deliverBacklog = this.saved !== undefined || file.protocol.backfill;
    this.reader = reader;
    this.follower = new FileFollower({
      path: file.path,
      pollIntervalMs: file.protocol.pollIntervalMs,
      clock: this.clock,
      onLines: (lines, backlog) => {
        for (const line of lines) reader.pushLine(line, deliverBacklog || !backlog);
      },
      onRestart: (reason) => {
        this.logger.info({ reason }, 'TOA5 file starts over; reading its new header');
        reader.restart();
      },
      onUnreadable: (error) =>
        this.report('TOA5_FILE_UNREADABLE', `cannot read ${file.path}: ${error.message}`, error),
      onReadable: () => this.logger.info('TOA5 file readable again'),
    });
    this.logger.info({ resumeFrom: this.saved, backfill: deliverBacklog }, 'following TOA5 file');
    await this.follower.start();
    this.handedOver = reader.position;
    this.scheduleSave();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.saveTimer !== undefined) this.clock.clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.follower?.stop();
    await this.saving;
    // The gateway stores what drivers handed over after stopping them, so the newest position is safe now.
    await this.savePosition(this.reader?.position);
  }

  private async readState(): Promise<TablePosition | undefined> {
    try {
      return await readResumeState(this.stateFile, this.options.file.path);
    } catch (error) {
      this.report(
        'TOA5_STATE_INVALID',
        `${(error as Error).message}; reading the file as if for the first time`,
        error as Error,
      );
      return undefined;
    }
  }

  /**
   * Saves the position handed over one period ago, not the newest: by then the batcher has passed
   * those rows to the outbox. A crash may so resend up to one period of rows, which the store
   * absorbs (same series, same time), but never skips rows that were not stored.
   */
  private scheduleSave(): void {
    if (this.stopped) return;
    this.saveTimer = this.clock.setTimeout(() => {
      const due = this.handedOver;
      this.handedOver = this.reader?.position;
      this.saving = this.savePosition(due).finally(() => this.scheduleSave());
    }, STATE_SAVE_INTERVAL_MS);
  }

  private async savePosition(position: TablePosition | undefined): Promise<void> {
    const saved = this.saved;
    if (position === undefined || (saved?.record === position.record && saved.timeMs === position.timeMs))
      return;
    try {
      await writeResumeState(this.stateFile, this.options.file.path, position);
      this.saved = position;
    } catch (error) {
      this.report(
        'TOA5_STATE_UNWRITABLE',
        `cannot save the position to ${this.stateFile}: ${(error as Error).message}`,
        error as Error,
      );
    }
  }

  private report(code: GatewayErrorCode, message: string, cause?: Error): void {
    this.logger.warn({ code, sensors: this.sensorIds }, message);
    this.options.sink.error(
      new SensorError(code, message, this.sensorIds, { file: this.options.file.path }, { cause }),
    );
  }
}
