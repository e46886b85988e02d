import type { Logger } from 'pino';
import type { BackoffPolicy } from '../../../backoff/index.js';
import { type Clock, systemClock } from '../../clock.js';
import { type GatewayErrorCode, SensorError } from '../../errors.js';
import type { DriverSink, SensorDriver } from '../driver.js';
import { PollLoop } from '../serial/poll-loop.js';
import { ModbusBus, type ModbusPortConfig, type Transaction } from './modbus-bus.js';
import { ILLEGAL_DATA_ADDRESS } from './modbus-exceptions.js';
import { type Attempt, readOutcome } from './read-outcome.js';
import {
  MIN_PERIOD_MS,
  type ModbusSensorConfig,
  type PlannedRead,
  readBlocks,
  singleReads,
} from './read-plan.js';

export interface ModbusRtuDriverOptions {
  port: ModbusPortConfig;
  /** The sensors whose driver names this port. */
  sensors: readonly ModbusSensorConfig[];
  sink: DriverSink;
  logger: Logger;
  clock?: Clock;
  intervalScale?: number;
  retry?: BackoffPolicy;
}

interface Scheduled {
  /** Usually one read; several once the device refused a combined read (see poll()). */
  reads: PlannedRead[];
  periodMs: number;
}

/**
 * Polls the Modbus RTU slaves on one RS-485 bus: each read on its sensors' interval, strictly one
 * request at a time. A slave that is silent, busy or garbled costs only its own sensors' readings;
 * the other slaves on the bus keep reporting.
 */
export class ModbusRtuDriver implements SensorDriver {
  readonly name: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly bus: ModbusBus;
  private readonly loop: PollLoop<Scheduled>;
  private readonly sensorIds: readonly string[];
  private stopped = true;

  constructor(private readonly options: ModbusRtuDriverOptions) {
    this.name = `modbus-rtu:${options.port.id}`;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child({ driver: this.name, path: options.port.path });
    const { maxRegistersPerRead } = options.port.protocol;
    this.loop = new PollLoop({
      entries: readBlocks(options.sensors, options.intervalScale ?? 1, maxRegistersPerRead).map(
        ({ periodMs, ...read }) => ({ reads: [read], periodMs }),
      ),
      periodOf: (entry) => entry.periodMs,
      poll: (entry) => this.poll(entry),
      minPeriodMs: MIN_PERIOD_MS,
      clock: this.clock,
      logger: this.logger,
    });
    this.sensorIds = options.sensors.map((sensor) => sensor.id);
    this.bus = new ModbusBus({
      port: options.port,
      logger: this.logger,
      clock: this.clock,
      retry: options.retry,
      onFault: (code, message, cause) => this.report(code, message, this.sensorIds, cause),
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.bus.start();
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // The loop takes no new poll from here; stopping the bus ends the one under way.
    const loopStopped = this.loop.stop();
    await this.bus.stop();
    await loopStopped;
  }

  private async poll(entry: Scheduled): Promise<void> {
    for (const read of [...entry.reads]) {
      if (this.stopped) return;
      const attempt = await this.bus.exclusive(() => this.transact(read));
      if (this.shouldSplit(read, attempt.result)) {
        // One bad address in a combined read would silence its neighbours: read each on its own from now on.
        const singles = singleReads(read);
        entry.reads.splice(entry.reads.indexOf(read), 1, ...singles);
        this.logger.info(
          { sensors: read.values.map((v) => v.sensor) },
          'combined read refused; reading each register alone',
        );
        for (const single of singles)
          this.deliver(single, await this.bus.exclusive(() => this.transact(single)));
      } else {
        this.deliver(read, attempt);
      }
    }
  }

  private shouldSplit(read: PlannedRead, result: Transaction): boolean {
    return (
      read.values.length > 1 && result.kind === 'exception' && result.exceptionCode === ILLEGAL_DATA_ADDRESS
    );
  }

  /** One request, repeated after a timeout, CRC error or garbled reply up to `retries` times. */
  private async transact(read: PlannedRead): Promise<Attempt> {
    const { timeoutMs, retries } = this.options.port.protocol;
    let result: Transaction = { kind: 'stopped' };
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      result = await this.bus.transact(read.request, timeoutMs);
      if (!['timeout', 'crc', 'invalid'].includes(result.kind)) return { result, tries: attempt + 1 };
    }
    return { result, tries: retries + 1 };
  }

  private deliver(read: PlannedRead, attempt: Attempt): void {
    const outcome = readOutcome(read, attempt, this.options.port.protocol.timeoutMs);
    const timeMs = this.clock.now();
    for (const sample of outcome.samples) this.options.sink.sample({ ...sample, timeMs });
    for (const fault of outcome.faults) this.report(fault.code, fault.message, fault.sensors);
  }

  private report(code: GatewayErrorCode, message: string, sensors: readonly string[], cause?: Error): void {
    this.logger.warn({ code, sensors }, message);
    this.options.sink.error(
      new SensorError(code, message, sensors, { port: this.options.port.id }, { cause }),
    );
  }
}
