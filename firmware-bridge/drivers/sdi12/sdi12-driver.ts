import type { Logger } from 'pino';
import type { BackoffPolicy } from '../../../backoff/index.js';
import { type Clock, systemClock } from '../../clock.js';
import { type GatewayErrorCode, SensorError } from '../../errors.js';
import type { DriverSink, SensorDriver } from '../driver.js';
import { PollLoop } from '../serial/poll-loop.js';
import { type CycleStep, MeasurementCycle } from './measurement-cycle.js';
import {
  type MeasurementGroup,
  MIN_PERIOD_MS,
  measurementGroups,
  type Sdi12SensorConfig,
} from './measurement-groups.js';
import { Sdi12Bus, type Sdi12PortConfig } from './sdi12-bus.js';

export interface Sdi12DriverOptions {
  port: Sdi12PortConfig;
  /** The sensors whose driver names this port. */
  sensors: readonly Sdi12SensorConfig[];
  sink: DriverSink;
  logger: Logger;
  clock?: Clock;
  intervalScale?: number;
  retry?: BackoffPolicy;
}

type Done = Extract<CycleStep, { kind: 'done' }>;
interface Failed {
  kind: 'failed';
  code: GatewayErrorCode;
  message: string;
}
type Outcome = Done | Failed | { kind: 'stopped' };

/**
 * Polls the sensors behind one SDI-12 adapter: one measurement cycle per address and command per
 * poll, cycles strictly one after the other on the bus. A sensor that fails costs only its own
 * cycle; the others keep reporting.
 */
export class Sdi12Driver implements SensorDriver {
  readonly name: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly bus: Sdi12Bus;
  private readonly loop: PollLoop<MeasurementGroup>;
  private readonly sensorIds: readonly string[];

  constructor(private readonly options: Sdi12DriverOptions) {
    this.name = `sdi12:${options.port.id}`;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child({ driver: this.name, path: options.port.path });
    this.loop = new PollLoop({
      entries: measurementGroups(options.sensors, options.intervalScale ?? 1),
      periodOf: (group) => group.periodMs,
      poll: async (group) => this.deliver(group, await this.bus.exclusive(() => this.measure(group))),
      minPeriodMs: MIN_PERIOD_MS,
      clock: this.clock,
      logger: this.logger,
    });
    this.sensorIds = options.sensors.map((sensor) => sensor.id);
    this.bus = new Sdi12Bus({
      port: options.port,
      logger: this.logger,
      clock: this.clock,
      retry: options.retry,
      onFault: (code, message, cause) => this.report(code, message, this.sensorIds, cause),
    });
  }

  async start(): Promise<void> {
    await this.bus.start();
    this.loop.start();
  }

  async stop(): Promise<void> {
    // The loop takes no new poll from here; stopping the bus ends the one under way.
    const loopStopped = this.loop.stop();
    await this.bus.stop();
    await loopStopped;
  }

  private async measure(group: MeasurementGroup): Promise<Outcome> {
    const cycle = new MeasurementCycle(group.address, group.command);
    let step: CycleStep = cycle.start();
    while (step.kind !== 'done') {
      if (step.kind === 'wait') {
        const waited = await this.bus.awaitLine((line) => cycle.isServiceRequest(line), step.ms);
        if (waited.kind === 'stopped') return waited;
        step = cycle.onReady();
        continue;
      }
      const next = await this.exchange(cycle, step.command);
      if (next.kind === 'failed' || next.kind === 'stopped') return next;
      step = next;
    }
    return step;
  }

  /** Sends a command of the cycle, again after a timeout or an unusable reply, up to `retries` times. */
  private async exchange(
    cycle: MeasurementCycle,
    command: string,
  ): Promise<CycleStep | Failed | { kind: 'stopped' }> {
    const { replyTimeoutMs, retries } = this.options.port.protocol;
    let failure: Failed = { kind: 'failed', code: 'SDI12_TIMEOUT', message: '' };
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      const reply = await this.bus.request(command, replyTimeoutMs);
      if (reply.kind === 'stopped') return reply;
      if (reply.kind === 'write-failed')
        return { kind: 'failed', code: 'SERIAL_WRITE_FAILED', message: reply.message };
      if (reply.kind === 'timeout') {
        failure = {
          kind: 'failed',
          code: 'SDI12_TIMEOUT',
          message: `no reply to ${command} within ${replyTimeoutMs} ms`,
        };
        continue;
      }
      const outcome = cycle.onReply(reply.line);
      if (outcome.kind !== 'rejected') return outcome;
      failure = { kind: 'failed', code: outcome.code, message: `${command}: ${outcome.reason}` };
    }
    const tries = retries + 1;
    return { ...failure, message: `${failure.message} (${tries} ${tries === 1 ? 'try' : 'tries'})` };
  }

  private deliver(group: MeasurementGroup, outcome: Outcome): void {
    if (outcome.kind === 'stopped') return;
    const ids = group.sensors.map((sensor) => sensor.id);
    if (outcome.kind === 'failed') {
      this.report(outcome.code, `address ${group.address}: ${outcome.message}`, ids);
      return;
    }
    const timeMs = this.clock.now();
    const missing: string[] = [];
    for (const { id, index } of group.sensors) {
      const value = outcome.values[index - 1];
      if (value === undefined) missing.push(id);
      else this.options.sink.sample({ sensor: id, value, timeMs });
    }
    if (missing.length > 0) {
      const got = `address ${group.address} gave ${outcome.values.length} value(s) (${outcome.announced} announced)`;
      const wanted = group.sensors.filter(({ id }) => missing.includes(id)).map(({ index }) => index);
      this.report('SDI12_MISSING_VALUE', `${got}; no value ${wanted.join(', ')}`, missing);
    }
  }

  private report(code: GatewayErrorCode, message: string, sensors: readonly string[], cause?: Error): void {
    this.logger.warn({ code, sensors }, message);
    this.options.sink.error(
      new SensorError(code, message, sensors, { port: this.options.port.id }, { cause }),
    );
  }
}
