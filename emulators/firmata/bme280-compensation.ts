/**
 * The BME280's integer compensation exactly as Johnny-Five 2.1 computes it (lib/sip.js, after the
 * Bosch datasheet's 32-bit formulas, JavaScript's int32 shifts included), and its inverse: the raw
 * ADC values that make Johnny-Five report a wanted temperature, pressure and humidity. Pure.
 */

export interface Bme280Calibration {
  T1: number;
  T2: number;
  T3: number;
  P1: number;
  P2: number;
  P3: number;
  P4: number;
  P5: number;
  P6: number;
  P7: number;
  P8: number;
  P9: number;
  H1: number;
  H2: number;
  H3: number;
  H4: number;
  H5: number;
  H6: number;
}

/** Temperature and pressure words from the BMP280 datasheet's example; humidity words of a real BME280. */
export const EXAMPLE_CALIBRATION: Bme280Calibration = {
  T1: 27504,
  T2: 26435,
  T3: -1000,
  P1: 36477,
  P2: -10685,
  P3: 3024,
  P4: 2855,
  P5: 140,
  P6: -7,
  P7: 15500,
  P8: -14600,
  P9: 6000,
  H1: 75,
  H2: 362,
  H3: 0,
  H4: 313,
  H5: 50,
  H6: 30,
};

export interface Bme280Raw {
  /** 20-bit ADC words. */
  adcT: number;
  adcP: number;
  /** 16-bit ADC word. */
  adcH: number;
}

/** What Johnny-Five makes of a raw reading: Cel (0.01), Pa (integer), %RH (1/1024, 3 decimals). */
export interface Bme280Compensated {
  temperature: number;
  pressurePa: number;
  humidity: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
// Johnny-Five's Fn.s32 and Fn.u32: wrap once, then clamp.
const s32 = (value: number) => clamp(value > 2 ** 31 - 1 ? value - 2 ** 32 : value, -(2 ** 31), 2 ** 31 - 1);
const u32 = (value: number) => clamp(value < 0 ? value + 2 ** 32 : value, 0, 2 ** 32 - 1);

function fineTemperature(dig: Bme280Calibration, adcT: number): number {
  const T = adcT;
  const adc16subT1 = (T >> 4) - dig.T1;
  const v1 = (((T >> 3) - (dig.T1 << 1)) * dig.T2) >> 11;
  const v2 = (((adc16subT1 * adc16subT1) >> 12) * dig.T3) >> 14;
  return v1 + v2;
}

function pressure(dig: Bme280Calibration, fine: number, adcP: number): number {
  let v1 = s32(fine >> 1) - 64000;
  let v2 = (((v1 >> 2) * (v1 >> 2)) >> 11) * s32(dig.P6);
  v2 += (v1 * s32(dig.P5)) << 1;
  v2 = (v2 >> 2) + (s32(dig.P4) << 16);
  v1 = (((dig.P3 * (((v1 >> 2) * (v1 >> 2)) >> 13)) >> 3) + ((s32(dig.P2) * v1) >> 1)) >> 18;
  v1 = ((2 ** 15 + v1) * s32(dig.P1)) >> 15;
  if (v1 === 0) return 0;
  let p = u32(s32(2 ** 20) - adcP - (v2 >> 12)) * 3125;
  p = p < 2 ** 31 ? ((p << 1) >>> 0) / u32(v1) : ((p / u32(v1)) >>> 0) * 2;
  p = u32(p) >>> 0;
  const shifted = p >> 3;
  v1 = (s32(dig.P9) * s32((shifted * shifted) >> 13)) >> 12;
  v2 = (s32(p >> 2) * dig.P8) >> 13;
  return u32(s32(p) + ((v1 + v2 + dig.P7) >> 4));
}

function humidity1024(dig: Bme280Calibration, fine: number, adcH: number): number {
  const H = adcH;
  let vx = s32(fine - 76800);
  vx =
    (((H << 14) - s32(dig.H4 << 20) - dig.H5 * vx + 2 ** 14) >> 15) *
    (((((((vx * dig.H6) >> 10) * (((vx * dig.H3) >> 11) + 2 ** 15)) >> 10) + 2 ** 21) * dig.H2 + 2 ** 13) >>
      14);
  vx -= ((((vx >> 15) * (vx >> 15)) >> 7) * s32(dig.H1)) >> 4;
  vx = clamp(vx, 0, 419430400);
  return u32(vx >> 12);
}

export function compensate(dig: Bme280Calibration, raw: Bme280Raw): Bme280Compensated {
  const fine = fineTemperature(dig, raw.adcT);
  return {
    temperature: Number((((fine * 5 + 128) >> 8) / 100).toFixed(2)),
    pressurePa: pressure(dig, fine, raw.adcP),
    humidity: Number((humidity1024(dig, fine, raw.adcH) / 1024).toFixed(3)),
  };
}

/** The `bits`-wide input at which a monotonic `f` comes closest to `target`. */
function invert(f: (input: number) => number, target: number, bits: number, increasing: boolean): number {
  const below = (x: number) => (increasing ? f(x) < target : f(x) > target);
  let low = 0;
  let high = 2 ** bits - 1;
  // The first input not below the target; the one before it may be closer.
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (below(mid)) low = mid + 1;
    else high = mid;
  }
  if (low === 0) return low;
  return Math.abs(f(low - 1) - target) < Math.abs(f(low) - target) ? low - 1 : low;
}

export interface Bme280Values {
  /** Cel. */
  temperature: number;
  /** hPa. */
  pressure: number;
  /** %RH. */
  humidity: number;
}

/** The raw ADC words Johnny-Five compensates into (as near as its resolution allows) these values. */
export function rawFor(dig: Bme280Calibration, values: Bme280Values): Bme280Raw {
  const adcT = invert((x) => ((fineTemperature(dig, x) * 5 + 128) >> 8) / 100, values.temperature, 20, true);
  const fine = fineTemperature(dig, adcT);
  const adcP = invert((x) => pressure(dig, fine, x), values.pressure * 100, 20, false);
  const adcH = invert((x) => humidity1024(dig, fine, x) / 1024, values.humidity, 16, true);
  return { adcT, adcP, adcH };
}
