import type { GatewayErrorCode } from '../../errors.js';
import type { Transaction } from './modbus-bus.js';
import { exceptionErrorCode, exceptionName } from './modbus-exceptions.js';
import { decodeRead, type PlannedRead } from './read-plan.js';
import type { ReadRequest } from './rtu-frames.js';

/** A read's last transaction and how many times it was sent. */
export interface Attempt {
  result: Transaction;
  tries: number;
}

export interface ReadFault {
  code: GatewayErrorCode;
  message: string;
  sensors: string[];
}

export interface ReadOutcome {
  samples: { sensor: string; value: number }[];
  faults: ReadFault[];
}

/** Names the request in every message, so a technician can find the register in the device's manual. */
export function describeRequest(request: ReadRequest): string {
  const span = request.count > 1 ? ` (${request.count} registers)` : '';
  return `unit ${request.unitId} function ${request.function} address ${request.address}${span}`;
}

function triesSuffix(tries: number): string {
  return tries > 1 ? ` (${tries} tries)` : '';
}

type Failure = Exclude<Transaction, { kind: 'registers' } | { kind: 'stopped' }>;

function failure(result: Failure, timeoutMs: number): { code: GatewayErrorCode; reason: string } {
  switch (result.kind) {
    case 'exception':
      return {
        code: exceptionErrorCode(result.exceptionCode),
        reason: `exception ${result.exceptionCode} (${exceptionName(result.exceptionCode)})`,
      };
    case 'crc':
      return { code: 'MODBUS_CRC', reason: 'reply failed its CRC check' };
    case 'invalid':
      return { code: 'MODBUS_REPLY_INVALID', reason: result.reason };
    case 'timeout':
      return result.received === 0
        ? { code: 'MODBUS_TIMEOUT', reason: `no reply within ${timeoutMs} ms` }
        : {
            code: 'MODBUS_REPLY_INVALID',
            reason: `incomplete reply: ${result.received} byte(s) within ${timeoutMs} ms`,
          };
    case 'not-open':
      return { code: 'SERIAL_CLOSED', reason: 'port is not open; reopening' };
    case 'write-failed':
      return { code: 'SERIAL_WRITE_FAILED', reason: `cannot send the request: ${result.message}` };
  }
}

/** The samples and faults one read produced. */
export function readOutcome(read: PlannedRead, attempt: Attempt, timeoutMs: number): ReadOutcome {
  const { result, tries } = attempt;
  if (result.kind === 'stopped') return { samples: [], faults: [] };
  if (result.kind === 'registers') {
    const samples: ReadOutcome['samples'] = [];
    const faults: ReadFault[] = [];
    for (const decoded of decodeRead(read, result.words)) {
      if ('value' in decoded) samples.push(decoded);
      else {
        const message = `${describeRequest(read.request)}: ${decoded.reason}`;
        faults.push({ code: 'MODBUS_VALUE_INVALID', message, sensors: [decoded.sensor] });
      }
    }
    return { samples, faults };
  }
  const { code, reason } = failure(result, timeoutMs);
  const message = `${describeRequest(read.request)}: ${reason}${triesSuffix(tries)}`;
  return { samples: [], faults: [{ code, message, sensors: read.values.map((value) => value.sensor) }] };
}
