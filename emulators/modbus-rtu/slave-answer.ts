import {
  exceptionReply,
  ILLEGAL_DATA_ADDRESS,
  MAX_READ_REGISTERS,
  registersReply,
  SERVER_DEVICE_BUSY,
} from '../../firmware-bridge/drivers/modbus-rtu/contract.js';
import { type EmulatedUnit, registerWords, type ValueOf } from './register-map.js';

/**
 * How an emulated unit misbehaves: `silent` never answers (the master times out), `bad-crc`
 * answers with a corrupted CRC, `garbage` answers bytes that are no Modbus frame, `busy` answers
 * exception 6 (server device busy).
 */
export type ModbusSlaveFault = 'silent' | 'bad-crc' | 'garbage' | 'busy';

export interface SlaveRequest {
  unitId: number;
  functionCode: number;
  address: number;
  count: number;
}

const ILLEGAL_FUNCTION = 1;
const ILLEGAL_DATA_VALUE = 3;
/** No unit answers from address 0xff, so a master cannot take this for a reply. */
export const GARBAGE = Buffer.from([0xff, 0x47, 0x41, 0x52, 0x42, 0x41, 0x47, 0x45, 0x0d, 0x0a]);

function registersAnswer(unit: EmulatedUnit, request: SlaveRequest, timeMs: number, values: ValueOf): Buffer {
  const { unitId, functionCode: fn, address, count } = request;
  if (count < 1 || count > MAX_READ_REGISTERS) return exceptionReply(unitId, fn, ILLEGAL_DATA_VALUE);
  const held = registerWords(unit, fn, timeMs, values);
  const words: number[] = [];
  for (let offset = 0; offset < count; offset += 1) {
    const word = held.get(address + offset);
    if (word === undefined) return exceptionReply(unitId, fn, ILLEGAL_DATA_ADDRESS);
    words.push(word);
  }
  return registersReply(unitId, fn, words);
}

/** The bytes a slave puts on the bus for `request`, or undefined to stay silent. */
export function answerRequest(
  unit: EmulatedUnit,
  request: SlaveRequest,
  timeMs: number,
  values: ValueOf,
  fault: ModbusSlaveFault | undefined,
): Buffer | undefined {
  const { unitId, functionCode: fn } = request;
  if (fault === 'silent') return undefined;
  if (fault === 'garbage') return GARBAGE;
  if (fault === 'busy') return exceptionReply(unitId, fn, SERVER_DEVICE_BUSY);
  const reply =
    fn === 3 || fn === 4
      ? registersAnswer(unit, request, timeMs, values)
      : exceptionReply(unitId, fn, ILLEGAL_FUNCTION);
  if (fault === 'bad-crc') reply.writeUInt8((reply.at(-1) ?? 0) ^ 0xff, reply.length - 1);
  return reply;
}
