import { checkNmeaChecksum } from '../serial/nmea-checksum.js';
import type { NmeaPortProtocol } from './config.js';
import type { NmeaErrorCode } from './field-value.js';

/** Who sent a sentence and what it is: `WIMWV` is talker WI, formatter MWV. */
export interface SentenceAddress {
  talker: string;
  formatter: string;
}

export type FrameResult =
  | { kind: 'blank' }
  | {
      kind: 'sentence';
      address: SentenceAddress;
      /** Comma-separated fields; `fields[0]` is the address. */
      fields: string[];
      /** Characters of noise before the `$`, e.g. a glitch on the line. */
      noise: number;
    }
  /** Proprietary (`$P...`) and encapsulated (`!`) sentences: well-formed, never ours. */
  | { kind: 'foreign' }
  | { kind: 'error'; code: NmeaErrorCode; reason: string; address?: SentenceAddress };

const ADDRESS = /^([A-Z][A-Z0-9])([A-Z]{3})$/;
/** CR LF, which the standard counts in a sentence's length but the line no longer holds. */
const LINE_END = 2;

function addressOf(body: string): SentenceAddress | undefined {
  const match = ADDRESS.exec(body.slice(0, body.indexOf(',') < 0 ? undefined : body.indexOf(',')));
  return match === null ? undefined : { talker: match[1] as string, formatter: match[2] as string };
}

function withAddress(body: string): { address?: SentenceAddress } {
  const address = addressOf(body);
  return address === undefined ? {} : { address };
}

/**
 * Finds the sentence in one line and checks its frame: start character, length, checksum, address.
 * Noise before the `$` is skipped (and counted), since `$` only ever starts a sentence. Pure.
 */
export function parseFrame(line: string, protocol: NmeaPortProtocol): FrameResult {
  const trimmed = line.trim();
  if (trimmed === '') return { kind: 'blank' };
  const start = Math.max(trimmed.lastIndexOf('$'), trimmed.lastIndexOf('!'));
  if (start < 0) {
    return {
      kind: 'error',
      code: 'NMEA_FRAMING',
      reason: `not a sentence (no "$"): "${trimmed.slice(0, 40)}"`,
    };
  }
  const sentence = trimmed.slice(start);
  if (sentence.startsWith('!') || sentence.startsWith('$P')) return { kind: 'foreign' };
  const checked = checkNmeaChecksum(sentence, protocol.checksum === 'required');
  if (sentence.length + LINE_END > protocol.maxSentenceLength) {
    const reason = `sentence of ${sentence.length + LINE_END} characters, longer than ${protocol.maxSentenceLength}`;
    return { kind: 'error', code: 'NMEA_TOO_LONG', reason, ...withAddress(checked.body) };
  }
  if (!checked.ok)
    return { kind: 'error', code: 'NMEA_CHECKSUM', reason: checked.reason, ...withAddress(checked.body) };
  const fields = checked.body.split(',');
  const address = addressOf(checked.body);
  if (address === undefined) {
    const reason = `address "${(fields[0] ?? '').slice(0, 12)}" is not a talker id and a sentence formatter`;
    return { kind: 'error', code: 'NMEA_FRAMING', reason };
  }
  return { kind: 'sentence', address, fields, noise: start };
}
