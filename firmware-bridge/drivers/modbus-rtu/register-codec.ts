import { GatewayRangeError } from '../../errors.js';
import { type ModbusDataType, registerCount, type WordOrder } from './config.js';

/**
 * Numbers in 16-bit Modbus registers, shared by the driver (decoding) and the slave emulator
 * (encoding) so both read the register map the same way. Each register is big-endian on the wire
 * (the standard says so); only the order of the two words of a 32-bit value varies by device.
 */

const INTEGER_RANGES = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x8000_0000, 0x7fff_ffff],
  uint32: [0, 0xffff_ffff],
} as const;

function wordsToBytes(words: readonly number[], wordOrder: WordOrder): DataView {
  const ordered = wordOrder === 'little' ? [...words].reverse() : words;
  const view = new DataView(new ArrayBuffer(ordered.length * 2));
  ordered.forEach((word, index) => {
    view.setUint16(index * 2, word);
  });
  return view;
}

function bytesToWords(view: DataView, wordOrder: WordOrder): number[] {
  const words = Array.from({ length: view.byteLength / 2 }, (_, index) => view.getUint16(index * 2));
  return wordOrder === 'little' ? words.reverse() : words;
}

/** The value held by `words` (exactly registerCount(dataType) of them, each 0-65535). */
export function decodeRegisters(
  words: readonly number[],
  dataType: ModbusDataType,
  wordOrder: WordOrder = 'big',
): number {
  if (words.length !== registerCount(dataType)) {
    throw new GatewayRangeError(
      'MODBUS_VALUE_INVALID',
      `a ${dataType} takes ${registerCount(dataType)} register(s), got ${words.length}`,
    );
  }
  const view = wordsToBytes(words, wordOrder);
  switch (dataType) {
    case 'int16':
      return view.getInt16(0);
    case 'uint16':
      return view.getUint16(0);
    case 'int32':
      return view.getInt32(0);
    case 'uint32':
      return view.getUint32(0);
    case 'float32':
      return view.getFloat32(0);
  }
}

/**
 * The registers that hold `value` as `dataType`. Integers are rounded and clamped to the type's
 * range, as a device's firmware would saturate; a float32 keeps single precision.
 */
export function encodeRegisters(
  value: number,
  dataType: ModbusDataType,
  wordOrder: WordOrder = 'big',
): number[] {
  const view = new DataView(new ArrayBuffer(registerCount(dataType) * 2));
  if (dataType === 'float32') {
    view.setFloat32(0, value);
  } else {
    const [min, max] = INTEGER_RANGES[dataType];
    const integer = Number.isNaN(value) ? 0 : Math.min(max, Math.max(min, Math.round(value)));
    if (dataType === 'int16') view.setInt16(0, integer);
    else if (dataType === 'uint16') view.setUint16(0, integer);
    else if (dataType === 'int32') view.setInt32(0, integer);
    else view.setUint32(0, integer);
  }
  return bytesToWords(view, wordOrder);
}
