import { withCrc } from '../../firmware-bridge/drivers/sdi12/contract.js';

/** Faults an emulated SDI-12 sensor can be told to show. */
export type Sdi12Fault =
  /** Answers nothing at all. */
  | 'silent'
  /** Data replies after `aMC!`/`aCC!` carry a wrong CRC. */
  | 'bad-crc'
  /** Answers with a line of noise. */
  | 'garbage'
  /** Answers under another address, as a miswired or misconfigured sensor does. */
  | 'wrong-address'
  /** Data replies leave out the last announced value. */
  | 'fewer-values'
  /** Data replies come `lateReplyMs` after the command, as from an adapter that buffers too long. */
  | 'late-data';

export interface EmulatedSdi12SensorConfig {
  address: string;
  /** How many values a measurement gives (`n` in `atttn`). */
  values: number;
  /** Seconds announced until the values are ready (`ttt`); default 0. */
  measurementSeconds?: number;
  /** When the service request follows `aM!`; default `measurementSeconds` in full; 0 sends it with the reply. */
  serviceRequestAfterMs?: number;
  /** Values per `aDn!` reply; default as many as the standard allows (35 or 75 characters). */
  valuesPerReply?: number;
  decimals?: number;
  /** How late data replies come with the `late-data` fault; default 500 ms. */
  lateReplyMs?: number;
  /** The text after `a13` in the `aI!` reply. */
  identification?: string;
}

/** What the sensor puts on the bus for one command: reply lines now, and perhaps a line later. */
export interface SensorAnswer {
  lines: string[];
  later?: { afterMs: number; line: string };
}

const NOTHING: SensorAnswer = { lines: [] };
const GARBAGE = '#~\u0007?%&*';

export function formatSdi12Value(value: number, decimals: number): string {
  const text = Math.abs(value).toFixed(decimals);
  return `${value < 0 ? '-' : '+'}${text}`;
}

/** Splits formatted values into `aDn!` replies of at most `maxChars` characters (or `perReply` values). */
export function dataParts(values: readonly string[], maxChars: number, perReply?: number): string[][] {
  const parts: string[][] = [];
  let part: string[] = [];
  let chars = 0;
  for (const value of values) {
    const full = perReply === undefined ? chars + value.length > maxChars : part.length >= perReply;
    if (full && part.length > 0) {
      parts.push(part);
      part = [];
      chars = 0;
    }
    part.push(value);
    chars += value.length;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/**
 * One SDI-12 sensor's replies, byte for byte, without I/O: `a!`, `aI!`, `aM!`, `aMC!`, `aC!`,
 * `aCC!` and `aD0!`..`aD9!`. A measurement takes its values from `valueOf(channel, timeMs)` with
 * channel `${address}:${index}` at the time the measurement command arrives.
 */
export class EmulatedSdi12Sensor {
  fault: Sdi12Fault | undefined;
  private parts: string[][] = [];
  private withCrc = false;

  constructor(
    readonly config: EmulatedSdi12SensorConfig,
    private readonly sample: (channel: string, timeMs: number) => number,
  ) {}

  get address(): string {
    return this.config.address;
  }

  /** `body` is the command without its address and `!`, e.g. `M`, `D0`, `I`, or `` for `a!`. */
  answer(body: string, timeMs: number): SensorAnswer {
    if (this.fault === 'silent') return NOTHING;
    if (this.fault === 'garbage') return { lines: [GARBAGE] };
    const measure = /^(M|MC|C|CC)$/.exec(body);
    if (measure !== null) return this.measure(body, timeMs);
    const data = /^D(\d)$/.exec(body);
    if (data !== null) {
      const line = this.dataReply(Number(data[1]));
      if (this.fault !== 'late-data') return { lines: [line] };
      return { lines: [], later: { afterMs: this.config.lateReplyMs ?? 500, line } };
    }
    if (body === '') return { lines: [this.address] };
    if (body === 'I')
      return { lines: [`${this.address}13${this.config.identification ?? 'FIELDSTNEMU-SDI100'}`] };
    return NOTHING;
  }

  private measure(command: string, timeMs: number): SensorAnswer {
    const { values, measurementSeconds = 0, decimals = 2 } = this.config;
    const concurrent = command.startsWith('C');
    this.withCrc = command.endsWith('C') && command.length === 2;
    const formatted = Array.from({ length: values }, (_, i) =>
      formatSdi12Value(this.sample(`${this.address}:${i + 1}`, timeMs), decimals),
    );
    const kept = this.fault === 'fewer-values' ? formatted.slice(0, -1) : formatted;
    this.parts = dataParts(kept, concurrent ? 75 : 35, this.config.valuesPerReply);
    const count = String(values).padStart(concurrent ? 2 : 1, '0');
    const reply = `${this.from()}${String(measurementSeconds).padStart(3, '0')}${count}`;
    if (concurrent || measurementSeconds === 0) return { lines: [reply] };
    const afterMs = this.config.serviceRequestAfterMs ?? measurementSeconds * 1000;
    // Ready at once: the service request goes out with the reply, as one write.
    if (afterMs === 0) return { lines: [reply, this.from()] };
    return { lines: [reply], later: { afterMs, line: this.from() } };
  }

  private dataReply(part: number): string {
    const body = `${this.from()}${(this.parts[part] ?? []).join('')}`;
    if (!this.withCrc) return body;
    const sent = withCrc(body);
    if (this.fault !== 'bad-crc') return sent;
    // One character of the CRC changed, still printable as the standard's CRC characters are.
    const last = sent.charCodeAt(sent.length - 1);
    return sent.slice(0, -1) + String.fromCharCode(0x40 | ((last + 1) & 0x3f));
  }

  private from(): string {
    if (this.fault !== 'wrong-address') return this.address;
    return this.address === '9' ? '8' : '9';
  }
}
