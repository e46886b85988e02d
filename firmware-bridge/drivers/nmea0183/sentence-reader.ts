import type { NmeaDriverConfig, NmeaPortProtocol } from './config.js';
import { DECODERS, type DecodedSentence } from './decoders/index.js';
import type { FieldValue, NmeaErrorCode } from './field-value.js';
import { type FrameResult, parseFrame, type SentenceAddress } from './frame.js';
import { GpsDateAnchor } from './gps-time.js';
import { describeSelection, selectionKey } from './selection-key.js';

export type ReadOutcome =
  | { kind: 'sample'; sensor: string; value: number }
  /**
   * `scope: 'port'` when the fault cannot be pinned on a sentence a sensor reads (noise, no address):
   * it then concerns every sensor of the port.
   */
  | {
      kind: 'error';
      code: NmeaErrorCode;
      reason: string;
      sensors: readonly string[];
      scope: 'port' | 'sensors';
    }
  /** UTC from a talker with a valid fix. */
  | { kind: 'time'; timeMs: number };

interface Selection {
  sensor: string;
  key: string;
  formatter: string;
  talker?: string;
  unit?: string;
  description: string;
}

/**
 * Turns the lines of one nmea0183 port into samples for its sensors, errors, and GPS times. Pure apart
 * from remembering the talker's last date (for GGA times). A null field is "no value this time" and
 * is counted as an NMEA_FIELD_EMPTY error of the sensor that wanted it, so a field the talker never
 * fills shows in health instead of as silence.
 */
export class NmeaSentenceReader {
  private readonly selections: readonly Selection[];
  private readonly sensorIds: readonly string[];
  private readonly dates = new GpsDateAnchor();
  private fresh = true;

  constructor(
    private readonly protocol: NmeaPortProtocol,
    sensors: readonly { id: string; driver: NmeaDriverConfig }[],
  ) {
    this.selections = sensors.map(({ id, driver }) => ({
      sensor: id,
      key: selectionKey(driver),
      formatter: driver.sentence,
      description: describeSelection(driver),
      ...(driver.talker === undefined ? {} : { talker: driver.talker }),
      ...(driver.sentence === 'XDR' && driver.unit !== undefined ? { unit: driver.unit } : {}),
    }));
    this.sensorIds = sensors.map(({ id }) => id);
  }

  /** After the port (re)opens: its first line is likely the tail of a sentence sent before. */
  reset(): void {
    this.fresh = true;
  }

  read(line: string, receivedAtMs: number): ReadOutcome[] {
    const frame = parseFrame(line, this.protocol);
    const fresh = this.fresh && frame.kind !== 'blank';
    if (frame.kind !== 'blank') this.fresh = false;
    if (fresh && frame.kind === 'error' && !/^\s*[$!]/.test(line)) return [];
    return this.outcomes(frame, receivedAtMs);
  }

  private outcomes(frame: FrameResult, receivedAtMs: number): ReadOutcome[] {
    switch (frame.kind) {
      case 'blank':
      case 'foreign':
        return [];
      case 'error':
        return frame.address === undefined
          ? [this.portError(frame.code, frame.reason)]
          : this.sentenceError(frame.address, frame.code, frame.reason);
      case 'sentence': {
        const noise =
          frame.noise > 0
            ? [this.portError('NMEA_FRAMING', `${frame.noise} characters of noise before "$"`)]
            : [];
        return [...noise, ...this.decode(frame.address, frame.fields, receivedAtMs)];
      }
    }
  }

  private decode(address: SentenceAddress, fields: readonly string[], receivedAtMs: number): ReadOutcome[] {
    const decoder = DECODERS[address.formatter];
    if (decoder === undefined) return [];
    const decoded = decoder(fields);
    if ('code' in decoded) return this.sentenceError(address, decoded.code, decoded.reason);
    const readers = this.readersOf(address);
    const outcomes = readers.flatMap((selection) => this.select(selection, decoded));
    if (decoded.time !== undefined)
      outcomes.push({ kind: 'time', timeMs: this.dates.resolve(decoded.time, receivedAtMs) });
    return outcomes;
  }

  private select(selection: Selection, decoded: DecodedSentence): ReadOutcome[] {
    const field: FieldValue | undefined = decoded.values.get(selection.key);
    // Talkers spread XDR quads over several sentences: one without ours is no fault.
    if (field === undefined) return [];
    const sensors = [selection.sensor];
    switch (field.kind) {
      case 'empty':
        return [
          this.error('NMEA_FIELD_EMPTY', `${selection.description}: null field, no value this time`, sensors),
        ];
      case 'invalid':
        return [this.error(field.code, `${selection.description}: ${field.reason}`, sensors)];
      case 'value':
        if (selection.unit !== undefined && field.unit !== selection.unit) {
          const reason = `${selection.description}: unit "${field.unit ?? ''}", expected "${selection.unit}"`;
          return [this.error('NMEA_FIELD_INVALID', reason, sensors)];
        }
        return [{ kind: 'sample', sensor: selection.sensor, value: field.value }];
    }
  }

  private readersOf(address: SentenceAddress): Selection[] {
    return this.selections.filter(
      (selection) =>
        selection.formatter === address.formatter &&
        (selection.talker === undefined || selection.talker === address.talker),
    );
  }

  /** A fault of a sentence whose address could be read: it concerns the sensors reading that sentence. */
  private sentenceError(address: SentenceAddress, code: NmeaErrorCode, reason: string): ReadOutcome[] {
    const sensors = this.readersOf(address).map((selection) => selection.sensor);
    if (sensors.length === 0) return [];
    return [this.error(code, `${address.talker}${address.formatter}: ${reason}`, sensors)];
  }

  private portError(code: NmeaErrorCode, reason: string): ReadOutcome {
    return { kind: 'error', code, reason, sensors: this.sensorIds, scope: 'port' };
  }

  private error(code: NmeaErrorCode, reason: string, sensors: readonly string[]): ReadOutcome {
    return { kind: 'error', code, reason, sensors, scope: 'sensors' };
  }
}
