import {
  decodeTwo7BitBytes,
  encodeTwo7BitBytes,
  FIRMATA,
  fromTwo7Bit,
  SYSEX,
} from '../../firmware-bridge/drivers/firmata/contract.js';

/** Pin modes of the Firmata protocol that the emulated board offers. */
export const PIN_MODE = {
  INPUT: 0x00,
  OUTPUT: 0x01,
  ANALOG: 0x02,
  PWM: 0x03,
  I2C: 0x06,
  PULLUP: 0x0b,
} as const;

/** One pin of the board: the modes it supports with their resolution in bits, and its analog channel. */
export interface PinCapability {
  modes: readonly { mode: number; bits: number }[];
  analogChannel?: number;
}

/**
 * An Arduino Uno: pins 0-13 digital (PWM on 3, 5, 6, 9, 10, 11), 14-19 analog A0-A5 with a 10-bit
 * ADC, I2C on A4/A5 (18, 19). Pins 0 and 1 carry the serial port and offer nothing.
 */
export function unoPins(): PinCapability[] {
  const digital = [
    { mode: PIN_MODE.INPUT, bits: 1 },
    { mode: PIN_MODE.OUTPUT, bits: 1 },
    { mode: PIN_MODE.PULLUP, bits: 1 },
  ];
  return Array.from({ length: 20 }, (_, pin): PinCapability => {
    if (pin < 2) return { modes: [] };
    const pwm = [3, 5, 6, 9, 10, 11].includes(pin) ? [{ mode: PIN_MODE.PWM, bits: 8 }] : [];
    if (pin < 14) return { modes: [...digital, ...pwm] };
    const i2c = pin >= 18 ? [{ mode: PIN_MODE.I2C, bits: 1 }] : [];
    return { modes: [...digital, { mode: PIN_MODE.ANALOG, bits: 10 }, ...i2c], analogChannel: pin - 14 };
  });
}

const sysex = (command: number, data: readonly number[]): Buffer =>
  Buffer.from([FIRMATA.START_SYSEX, command, ...data, FIRMATA.END_SYSEX]);

export function reportVersion(major: number, minor: number): Buffer {
  return Buffer.from([FIRMATA.REPORT_VERSION, major, minor]);
}

export function firmwareReport(name: string, major: number, minor: number): Buffer {
  return sysex(SYSEX.QUERY_FIRMWARE, [major, minor, ...encodeTwo7BitBytes([...Buffer.from(name, 'latin1')])]);
}

export function capabilityResponse(pins: readonly PinCapability[]): Buffer {
  const data = pins.flatMap((pin) => [...pin.modes.flatMap(({ mode, bits }) => [mode, bits]), 0x7f]);
  return sysex(SYSEX.CAPABILITY_RESPONSE, data);
}

export function analogMappingResponse(pins: readonly PinCapability[]): Buffer {
  return sysex(
    SYSEX.ANALOG_MAPPING_RESPONSE,
    pins.map((pin) => pin.analogChannel ?? 0x7f),
  );
}

/** Mode and state of one pin; the state is sent in as many 7-bit bytes as it needs. */
export function pinStateResponse(pin: number, mode: number, state: number): Buffer {
  const stateBytes = [state & 0x7f];
  for (let rest = state >> 7; rest > 0; rest >>= 7) stateBytes.push(rest & 0x7f);
  return sysex(SYSEX.PIN_STATE_RESPONSE, [pin, mode, ...stateBytes]);
}

/** A 14-bit value of analog channel 0-15. */
export function analogMessage(channel: number, value: number): Buffer {
  return Buffer.from([FIRMATA.ANALOG_MESSAGE | (channel & 0x0f), value & 0x7f, (value >> 7) & 0x7f]);
}

export function i2cReply(address: number, register: number, bytes: readonly number[]): Buffer {
  return sysex(SYSEX.I2C_REPLY, encodeTwo7BitBytes([address, register, ...bytes]));
}

export function stringData(text: string): Buffer {
  return sysex(SYSEX.STRING_DATA, encodeTwo7BitBytes([...Buffer.from(text, 'latin1')]));
}

/** An I2C_REQUEST from the host: what to do with which device. */
export type I2cRequest =
  | { mode: 'write'; address: number; bytes: number[] }
  | { mode: 'read' | 'continuous'; address: number; register?: number; count: number }
  | { mode: 'stop'; address: number };

const I2C_MODES = ['write', 'read', 'continuous', 'stop'] as const;

/** Decodes an I2C_REQUEST's data (after the sysex command). 7-bit addresses only, as firmata-io sends. */
export function parseI2cRequest(data: readonly number[]): I2cRequest | undefined {
  const [address, modeByte, ...rest] = data;
  if (address === undefined || modeByte === undefined) return undefined;
  const mode = I2C_MODES[(modeByte >> 3) & 0x03] ?? 'stop';
  if (mode === 'stop') return { mode, address };
  if (mode === 'write') return { mode, address, bytes: decodeTwo7BitBytes(rest) };
  const words = pairs(rest);
  if (words.length === 1) return { mode, address, count: words[0] ?? 0 };
  if (words.length === 2) return { mode, address, register: words[0] ?? 0, count: words[1] ?? 0 };
  return undefined;
}

function pairs(data: readonly number[]): number[] {
  const words: number[] = [];
  for (let i = 0; i + 1 < data.length; i += 2) words.push(fromTwo7Bit(data[i] ?? 0, data[i + 1] ?? 0));
  return words;
}
