import type { GatewayErrorCode } from '../../errors.js';
import { stripCrc } from './crc.js';

/** Parsers for sensor replies, as one line without its CR LF. Pure; they never throw. */

export type ReplyErrorCode = Extract<
  GatewayErrorCode,
  'SDI12_REPLY_INVALID' | 'SDI12_WRONG_ADDRESS' | 'SDI12_CRC'
>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: ReplyErrorCode; reason: string };

export interface Identification {
  address: string;
  /** `13` for SDI-12 v1.3. */
  sdi12Version: string;
  vendor: string;
  model: string;
  sensorVersion: string;
  /** Serial number or other optional text, up to 13 characters. */
  extra: string;
}

export interface MeasurementStart {
  /** Seconds until the values are ready (`ttt`). */
  seconds: number;
  /** How many values the measurement gives (`n`; `nn` for concurrent). */
  count: number;
}

const ADDRESS = /^[0-9a-zA-Z]$/;
const VALUE = '[+-](?:\\d+(?:\\.\\d*)?|\\.\\d+)';

function fail<T>(code: ReplyErrorCode, reason: string): Parsed<T> {
  return { ok: false, code, reason };
}

function show(line: string): string {
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}...` : line);
}

/** Checks the reply comes from `address` and returns what follows the address. */
function fromAddress(line: string, address: string): Parsed<string> {
  if (line.length === 0) return fail('SDI12_REPLY_INVALID', 'empty reply');
  const from = line.charAt(0);
  if (!ADDRESS.test(from))
    return fail('SDI12_REPLY_INVALID', `reply ${show(line)} does not start with an address`);
  if (from !== address) {
    return fail(
      'SDI12_WRONG_ADDRESS',
      `reply ${show(line)} comes from address "${from}", expected "${address}"`,
    );
  }
  return { ok: true, value: line.slice(1) };
}

/** `a!` -> `a`. */
export function parseAcknowledge(line: string, address: string): Parsed<string> {
  const rest = fromAddress(line, address);
  if (!rest.ok) return rest;
  return rest.value === ''
    ? { ok: true, value: address }
    : fail('SDI12_REPLY_INVALID', `expected "${address}", got ${show(line)}`);
}

/** `?!` -> `a`: the address of the only sensor on the bus. */
export function parseAddressQuery(line: string): Parsed<string> {
  return ADDRESS.test(line)
    ? { ok: true, value: line }
    : fail('SDI12_REPLY_INVALID', `expected one address character, got ${show(line)}`);
}

/** `aI!` -> `allccccccccmmmmmmvvvxxx...`. */
export function parseIdentification(line: string, address: string): Parsed<Identification> {
  const rest = fromAddress(line, address);
  if (!rest.ok) return rest;
  const text = rest.value;
  if (text.length < 19 || text.length > 32 || !/^\d{2}/.test(text)) {
    return fail(
      'SDI12_REPLY_INVALID',
      `identification ${show(line)} is not "a" + version(2) vendor(8) model(6) version(3) [serial]`,
    );
  }
  return {
    ok: true,
    value: {
      address,
      sdi12Version: text.slice(0, 2),
      vendor: text.slice(2, 10).trim(),
      model: text.slice(10, 16).trim(),
      sensorVersion: text.slice(16, 19).trim(),
      extra: text.slice(19).trim(),
    },
  };
}

/** `aM!` -> `atttn`; `aC!` -> `atttnn` (concurrent measurements may give up to 99 values). */
export function parseMeasurementStart(
  line: string,
  address: string,
  concurrent: boolean,
): Parsed<MeasurementStart> {
  const rest = fromAddress(line, address);
  if (!rest.ok) return rest;
  const shape = concurrent ? /^(\d{3})(\d{2})$/ : /^(\d{3})(\d)$/;
  const match = shape.exec(rest.value);
  if (match === null) {
    const expected = concurrent ? 'atttnn' : 'atttn';
    return fail(
      'SDI12_REPLY_INVALID',
      `expected "${expected}" after a measurement command, got ${show(line)}`,
    );
  }
  return { ok: true, value: { seconds: Number(match[1]), count: Number(match[2]) } };
}

/** `+1.23-4.5+17` -> [1.23, -4.5, 17]; undefined unless the whole text is sign-delimited finite values. */
export function parseValues(text: string): number[] | undefined {
  const values: number[] = [];
  const value = new RegExp(VALUE, 'y');
  while (value.lastIndex < text.length) {
    const match = value.exec(text);
    if (match === null) return undefined;
    // The pattern takes any number of digits; past about 309 of them a double holds only Infinity.
    const number = Number(match[0]);
    if (!Number.isFinite(number)) return undefined;
    values.push(number);
  }
  return values;
}

/** `aD0!` -> `a<values>` or, after `aMC!`/`aCC!`, `a<values><CRC>`. */
export function parseDataReply(line: string, address: string, crc: boolean): Parsed<number[]> {
  const rest = fromAddress(line, address);
  if (!rest.ok) return rest;
  let body = line;
  if (crc) {
    const checked = stripCrc(line);
    if (checked === undefined) return fail('SDI12_CRC', `CRC of ${show(line)} does not match its contents`);
    body = checked;
  }
  const values = parseValues(body.slice(1));
  if (values === undefined)
    return fail('SDI12_REPLY_INVALID', `data reply ${show(line)} is not sign-delimited values`);
  return { ok: true, value: values };
}
