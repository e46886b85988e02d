import type { Logger } from 'pino';
import type { SerialPort } from 'serialport';
import { type BackoffPolicy, backoffDelayMs } from '../../../backoff/index.js';
import { type Clock, systemClock, type Timer } from '../../clock.js';
import { type GatewayErrorCode, SensorError } from '../../errors.js';
import { DEFAULT_BACKOFF } from '../../reconnect-backoff.js';
import type { DriverPort, DriverSink, SensorDriver } from '../driver.js';
import { SerialConnection } from '../serial/serial-connection.js';
import { BoardSession } from './board-session.js';
import type { FirmataProtocol } from './config.js';
import { type FirmataSensorConfig, planSensors, type SensorPlan } from './sensor-plan.js';

export type FirmataPortConfig = DriverPort<FirmataProtocol>;

export interface FirmataDriverOptions {
  port: FirmataPortConfig;
  /** The sensors whose driver names this port. */
  sensors: readonly FirmataSensorConfig[];
  sink: DriverSink;
  logger: Logger;
  clock?: Clock;
  intervalScale?: number;
  retry?: BackoffPolicy;
}

interface Scheduled {
  id: string;
  periodMs: number;
  dueMs: number;
}

/**
 * Reads the analog pins and I2C sensors of one Firmata board through Johnny-Five. A board that
 * does not answer its handshake, or falls silent, costs every sensor on it an error and gets its
 * port reopened (with back-off) and a new session; a pin or chip that fails costs only its sensors.
 */
export class FirmataDriver implements SensorDriver {
  readonly name: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly plan: SensorPlan;
  private readonly sensorIds: readonly string[];
  private readonly schedule: Scheduled[];
  private readonly connection: SerialConnection;
  private session: BoardSession | undefined;
  /** The port as last opened, for closing it to start a silent board over. */
  private port: SerialPort | undefined;
  private sampleTimer: Timer | undefined;
  private watchTimer: Timer | undefined;
  private recycleTimer: Timer | undefined;
  /** The port this driver closed itself to start over: its closing is not a fault of the cable. */
  private recycling: SerialPort | undefined;
  private failures = 0;
  private stopped = true;

  constructor(private readonly options: FirmataDriverOptions) {
    this.name = `firmata:${options.port.id}`;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child({ driver: this.name, path: options.port.path });
    this.plan = planSensors(options.sensors, options.intervalScale ?? 1);
    this.sensorIds = options.sensors.map((sensor) => sensor.id);
    this.schedule = this.plan.periods.map((entry) => ({ ...entry, dueMs: 0 }));
    this.connection = new SerialConnection({
      transport: options.port,
      logger: this.logger,
      clock: this.clock,
      retry: options.retry,
      onOpen: (port) => this.onOpen(port),
      onFault: (code, message, cause) => {
        if (code === 'SERIAL_CLOSED' && this.recycling !== undefined) return;
        this.report(code, message, this.sensorIds, cause);
      },
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connection.start();
    const now = this.clock.now();
    for (const entry of this.schedule) entry.dueMs = now + entry.periodMs;
    this.wakeAt(Math.min(...this.schedule.map((entry) => entry.dueMs)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of [this.sampleTimer, this.watchTimer, this.recycleTimer]) {
      if (timer !== undefined) this.clock.clearTimeout(timer);
    }
    this.sampleTimer = this.watchTimer = this.recycleTimer = undefined;
    this.endSession();
    await this.connection.stop();
  }

  private onOpen(port: SerialPort): void {
    this.endSession();
    this.recycling = undefined;
    const session = new BoardSession({
      id: this.options.port.id,
      protocol: this.options.port.protocol,
      plan: this.plan,
      clock: this.clock,
      logger: this.logger,
      retry: this.options.retry,
      onReady: () => {
        this.failures = 0;
      },
      onChipFault: (code, message, sensors) => this.report(code, message, sensors),
    });
    this.session = session;
    this.port = port;
    port.once('close', () => {
      if (this.session === session) this.endSession();
    });
    session.start(port);
    this.watch(session);
  }

  private endSession(): void {
    if (this.watchTimer !== undefined) this.clock.clearTimeout(this.watchTimer);
    this.watchTimer = undefined;
    this.session?.dispose();
    this.session = undefined;
  }

  /** Checks the board is talking (handshake in time, then no long silence) and reports noise. */
  private watch(session: BoardSession): void {
    const { bootDelayMs, replyTimeoutMs } = this.options.port.protocol;
    this.watchTimer = this.clock.setTimeout(() => {
      this.watchTimer = undefined;
      if (this.session !== session || this.stopped) return;
      const junk = session.takeJunkBytes();
      if (junk > 0) {
        this.report('FIRMATA_GARBAGE', `${junk} bytes of garbage from the board`, this.sensorIds);
      }
      const waited = this.clock.now() - session.startedAtMs;
      if (!session.ready && waited > bootDelayMs + replyTimeoutMs) {
        this.startOver(`no answer to the Firmata handshake within ${bootDelayMs + replyTimeoutMs} ms`);
      } else if (session.ready && session.silentForMs() > replyTimeoutMs) {
        this.startOver(`the board has sent nothing for ${session.silentForMs()} ms`);
      } else {
        this.watch(session);
      }
    }, replyTimeoutMs / 2);
  }

  /** A board that does not talk: drop the session, and after a back-off reopen its port. */
  private startOver(reason: string): void {
    this.report('FIRMATA_NO_REPLY', reason, this.sensorIds);
    const port = this.port;
    this.endSession();
    const delay = backoffDelayMs(this.failures + 1, this.options.retry ?? DEFAULT_BACKOFF);
    this.failures += 1;
    this.logger.warn({ delayMs: delay }, 'reopening the port to start the board over');
    this.recycleTimer = this.clock.setTimeout(() => {
      this.recycleTimer = undefined;
      if (this.stopped || port === undefined || !port.isOpen) return;
      this.recycling = port;
      port.close();
    }, delay);
  }

  private wakeAt(dueMs: number): void {
    if (this.stopped) return;
    this.sampleTimer = this.clock.setTimeout(
      () => {
        this.sampleTimer = undefined;
        this.sampleDue();
      },
      Math.max(0, dueMs - this.clock.now()),
    );
  }

  private sampleDue(): void {
    const now = this.clock.now();
    for (const entry of this.schedule) {
      if (entry.dueMs > now) continue;
      this.sample(entry.id, now);
      // Against the previous due time, so samples keep their grid unless the process stalled.
      entry.dueMs = Math.max(entry.dueMs + entry.periodMs, now);
    }
    this.wakeAt(Math.min(...this.schedule.map((entry) => entry.dueMs)));
  }

  private sample(sensorId: string, timeMs: number): void {
    const readout = this.session?.readout(sensorId);
    if (readout === undefined || readout.kind === 'none') return;
    if (readout.kind === 'sample')
      this.options.sink.sample({ sensor: sensorId, value: readout.value, timeMs });
    else this.report(readout.code, readout.message, [sensorId]);
  }

  private report(code: GatewayErrorCode, message: string, sensors: readonly string[], cause?: Error): void {
    this.logger.warn({ code, sensors }, message);
    this.options.sink.error(
      new SensorError(code, message, sensors, { port: this.options.port.id }, { cause }),
    );
  }
}
