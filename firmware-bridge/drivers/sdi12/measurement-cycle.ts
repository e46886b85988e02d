import { isConcurrent, sdi12Commands, usesCrc } from './commands.js';
import type { Sdi12Command } from './config.js';
import { parseDataReply, parseMeasurementStart, type ReplyErrorCode } from './replies.js';

/** `aD0!` .. `aD9!`: a measurement's values come in at most ten parts. */
const LAST_DATA_PART = 9;

/** What the bus has to do next for a measurement. */
export type CycleStep =
  /** Send the command and hand its reply line to onReply(). */
  | { kind: 'send'; command: string }
  /** Wait `ms`, or less if the sensor sends its service request; then call onReady(). */
  | { kind: 'wait'; ms: number; serviceRequest: boolean }
  /** Finished: `values` may hold fewer than `announced` values if the sensor sent fewer. */
  | { kind: 'done'; values: number[]; announced: number };

/** A reply that does not fit: the same command may be sent again. */
export interface RejectedReply {
  kind: 'rejected';
  code: ReplyErrorCode;
  reason: string;
}

type Phase = 'idle' | 'starting' | 'waiting' | 'data' | 'done';

/**
 * One measurement of one sensor, as a state machine without I/O: `aM!` -> `atttn` -> service request
 * or ttt seconds -> `aD0!`, `aD1!`, ... until the n announced values are in. The driver performs the
 * steps on the bus; retries and timeouts are its business.
 */
export class MeasurementCycle {
  private phase: Phase = 'idle';
  private part = 0;
  private announced = 0;
  private readonly values: number[] = [];

  constructor(
    readonly address: string,
    readonly command: Sdi12Command,
  ) {}

  start(): CycleStep {
    this.phase = 'starting';
    return { kind: 'send', command: sdi12Commands.measure(this.address, this.command) };
  }

  /** The reply to the last `send` step. */
  onReply(line: string): CycleStep | RejectedReply {
    if (this.phase === 'starting') return this.onMeasurementStart(line);
    if (this.phase === 'data') return this.onData(line);
    return {
      kind: 'rejected',
      code: 'SDI12_REPLY_INVALID',
      reason: `no reply expected in phase ${this.phase}`,
    };
  }

  /** A line seen while waiting: whether it is this sensor's service request. */
  isServiceRequest(line: string): boolean {
    return this.phase === 'waiting' && line === this.address;
  }

  /** The wait is over (service request or time): ask for the first part of the values. */
  onReady(): CycleStep {
    this.phase = 'data';
    this.part = 0;
    return { kind: 'send', command: sdi12Commands.sendData(this.address, 0) };
  }

  private onMeasurementStart(line: string): CycleStep | RejectedReply {
    const parsed = parseMeasurementStart(line, this.address, isConcurrent(this.command));
    if (!parsed.ok) return { kind: 'rejected', code: parsed.code, reason: parsed.reason };
    this.announced = parsed.value.count;
    if (this.announced === 0) return this.finish();
    if (parsed.value.seconds === 0) return this.onReady();
    this.phase = 'waiting';
    // Concurrent measurements send no service request: the recorder waits the time out.
    return { kind: 'wait', ms: parsed.value.seconds * 1000, serviceRequest: !isConcurrent(this.command) };
  }

  private onData(line: string): CycleStep | RejectedReply {
    const parsed = parseDataReply(line, this.address, usesCrc(this.command));
    if (!parsed.ok) return { kind: 'rejected', code: parsed.code, reason: parsed.reason };
    // One by one: spreading a reply of some 100,000 values into push() overflows the call stack.
    for (const value of parsed.value) this.values.push(value);
    // An empty part means the sensor has nothing more to give, even if it announced more.
    if (parsed.value.length === 0 || this.values.length >= this.announced || this.part === LAST_DATA_PART) {
      return this.finish();
    }
    this.part += 1;
    return { kind: 'send', command: sdi12Commands.sendData(this.address, this.part) };
  }

  private finish(): CycleStep {
    this.phase = 'done';
    return { kind: 'done', values: [...this.values], announced: this.announced };
  }
}
