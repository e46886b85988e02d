import type { GatewayErrorCode } from '../../errors.js';

/** Exception codes a slave may answer with (Modbus Application Protocol 7). */
const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge: still processing',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};

export type ModbusExceptionErrorCode = Extract<
  GatewayErrorCode,
  'MODBUS_ILLEGAL_ADDRESS' | 'MODBUS_DEVICE_BUSY' | 'MODBUS_EXCEPTION'
>;

export const ILLEGAL_DATA_ADDRESS = 2;
export const SERVER_DEVICE_BUSY = 6;

export function exceptionName(exceptionCode: number): string {
  return EXCEPTION_NAMES[exceptionCode] ?? 'unknown exception';
}

/**
 * The error code for an exception reply: a register map that does not match the device (2) and
 * a device that is only busy (5, 6) call for different action from the rest.
 */
export function exceptionErrorCode(exceptionCode: number): ModbusExceptionErrorCode {
  if (exceptionCode === ILLEGAL_DATA_ADDRESS) return 'MODBUS_ILLEGAL_ADDRESS';
  if (exceptionCode === 5 || exceptionCode === SERVER_DEVICE_BUSY) return 'MODBUS_DEVICE_BUSY';
  return 'MODBUS_EXCEPTION';
}
