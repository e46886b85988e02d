import { describe, expect, it } from 'vitest';
import type { ModbusDataType, WordOrder } from '../../../firmware-bridge/drivers/modbus-rtu/config.js';
import {
  decodeRegisters,
  encodeRegisters,
} from '../../../firmware-bridge/drivers/modbus-rtu/register-codec.js';

describe('Modbus register codec', () => {
  const cases: [ModbusDataType, WordOrder, number, number[]][] = [
    ['int16', 'big', -2, [0xfffe]],
    ['int16', 'big', 32767, [0x7fff]],
    ['uint16', 'big', 65535, [0xffff]],
    ['uint16', 'big', 513, [0x0201]],
    ['int32', 'big', -100_000, [0xfffe, 0x7960]],
    ['int32', 'little', -100_000, [0x7960, 0xfffe]],
    ['uint32', 'big', 0xdead_beef, [0xdead, 0xbeef]],
    ['uint32', 'little', 0xdead_beef, [0xbeef, 0xdead]],
    ['float32', 'big', 1.5, [0x3fc0, 0x0000]],
    ['float32', 'little', 1.5, [0x0000, 0x3fc0]],
    ['float32', 'big', -12.25, [0xc144, 0x0000]],
    ['float32', 'little', 123.456, [0xe979, 0x42f6]],
  ];

  it.each(cases)('%s, %s word order: %d <-> %j', (dataType, wordOrder, value, words) => {
    expect(encodeRegisters(value, dataType, wordOrder)).toEqual(words);
    expect(decodeRegisters(words, dataType, wordOrder)).toBeCloseTo(value, 4);
  });

  it('defaults to big word order', () => {
    expect(encodeRegisters(70_000, 'uint32')).toEqual([0x0001, 0x1170]);
    expect(decodeRegisters([0x0001, 0x1170], 'uint32')).toBe(70_000);
  });

  it('ignores word order for one-register types', () => {
    expect(decodeRegisters([0x8000], 'int16', 'little')).toBe(-32768);
  });

  it('rounds and saturates integers as device firmware does', () => {
    expect(encodeRegisters(12.6, 'int16')).toEqual([13]);
    expect(encodeRegisters(-5, 'uint16')).toEqual([0]);
    expect(encodeRegisters(1e6, 'int16')).toEqual([0x7fff]);
    expect(encodeRegisters(-1e12, 'int32')).toEqual([0x8000, 0x0000]);
    expect(encodeRegisters(Number.NaN, 'uint32')).toEqual([0, 0]);
  });

  it('keeps NaN and infinities of a float32, which devices use for "no reading"', () => {
    expect(decodeRegisters(encodeRegisters(Number.NaN, 'float32'), 'float32')).toBeNaN();
    expect(decodeRegisters([0x7f80, 0x0000], 'float32')).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses the wrong number of registers', () => {
    expect(() => decodeRegisters([1], 'float32')).toThrow('a float32 takes 2 register(s), got 1');
    expect(() => decodeRegisters([1, 2], 'int16')).toThrow(RangeError);
  });
});
