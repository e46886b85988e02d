import {
  type Bme280Calibration,
  type Bme280Values,
  EXAMPLE_CALIBRATION,
  rawFor,
} from './bme280-compensation.js';

export const BME280_CHIP_ID = 0x60;
const CHIP_ID_REGISTER = 0xd0;
const DATA_REGISTER = 0xf7;

function word(value: number): [number, number] {
  const unsigned = value & 0xffff;
  return [unsigned & 0xff, unsigned >> 8];
}

/** The calibration registers as the chip holds them: 0x88..0xA1 and 0xE1..0xE7, little-endian words. */
export function calibrationRegisters(dig: Bme280Calibration): Map<number, number> {
  const registers = new Map<number, number>();
  const tp = [dig.T1, dig.T2, dig.T3, dig.P1, dig.P2, dig.P3, dig.P4, dig.P5, dig.P6, dig.P7, dig.P8, dig.P9];
  for (const [i, byte] of tp.flatMap(word).entries()) registers.set(0x88 + i, byte);
  registers.set(0xa1, dig.H1 & 0xff);
  const [h2lsb, h2msb] = word(dig.H2);
  registers.set(0xe1, h2lsb);
  registers.set(0xe2, h2msb);
  registers.set(0xe3, dig.H3 & 0xff);
  // H4 and H5 are 12-bit and share register 0xE5.
  registers.set(0xe4, (dig.H4 >> 4) & 0xff);
  registers.set(0xe5, (dig.H4 & 0x0f) | ((dig.H5 & 0x0f) << 4));
  registers.set(0xe6, (dig.H5 >> 4) & 0xff);
  registers.set(0xe7, dig.H6 & 0xff);
  return registers;
}

/** The data block 0xF7..0xFE: pressure and temperature as 20-bit words left-aligned in 3 bytes, humidity in 2. */
export function dataRegisters(dig: Bme280Calibration, values: Bme280Values): number[] {
  const { adcT, adcP, adcH } = rawFor(dig, values);
  const three = (adc: number) => [(adc >> 12) & 0xff, (adc >> 4) & 0xff, (adc & 0x0f) << 4];
  return [...three(adcP), ...three(adcT), (adcH >> 8) & 0xff, adcH & 0xff];
}

/**
 * A Bosch BME280 as seen over I2C: chip id, calibration, and measurement registers computed from
 * the values it should report. Writes (reset, oversampling, mode) are kept but change nothing.
 */
export class Bme280Device {
  private readonly registers: Map<number, number>;

  constructor(
    private readonly read: () => Bme280Values,
    private readonly dig: Bme280Calibration = EXAMPLE_CALIBRATION,
  ) {
    this.registers = calibrationRegisters(dig);
    this.registers.set(CHIP_ID_REGISTER, BME280_CHIP_ID);
  }

  write(register: number, bytes: readonly number[]): void {
    for (const [i, byte] of bytes.entries()) this.registers.set(register + i, byte);
  }

  /** `count` bytes from `register` on, as a burst read returns them (auto-increment). */
  readBlock(register: number, count: number): number[] {
    const data = new Map(this.registers);
    if (register + count > DATA_REGISTER && register <= DATA_REGISTER + 7) {
      for (const [i, byte] of dataRegisters(this.dig, this.read()).entries())
        data.set(DATA_REGISTER + i, byte);
    }
    return Array.from({ length: count }, (_, i) => data.get(register + i) ?? 0);
  }
}
