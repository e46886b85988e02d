import { describe, expect, it } from 'vitest';
import type {
  DecodedSentence,
  SentenceFault,
} from '../../../firmware-bridge/drivers/nmea0183/decoders/index.js';
import { DECODERS } from '../../../firmware-bridge/drivers/nmea0183/decoders/index.js';
import { degreesMinutes, speedToMs } from '../../../firmware-bridge/drivers/nmea0183/units.js';

function decode(body: string): DecodedSentence | SentenceFault {
  const fields = body.split(',');
  const decoder = DECODERS[(fields[0] as string).slice(2)];
  if (decoder === undefined) throw new Error(`no decoder for ${body}`);
  return decoder(fields);
}

function values(body: string): Record<string, unknown> {
  const decoded = decode(body);
  if ('code' in decoded) throw new Error(`${decoded.code}: ${decoded.reason}`);
  return Object.fromEntries(decoded.values);
}

const value = (v: number, unit?: string) =>
  unit === undefined ? { kind: 'value', value: v } : { kind: 'value', value: v, unit };
const EMPTY = { kind: 'empty' };

describe('unit conversions', () => {
  it('turns every NMEA speed unit into m/s', () => {
    expect(speedToMs(10, 'M')).toBe(10);
    expect(speedToMs(36, 'K')).toBeCloseTo(10, 12);
    expect(speedToMs(1, 'N')).toBeCloseTo(0.514444, 6);
    expect(speedToMs(1, 'S')).toBeCloseTo(0.44704, 6);
    expect(speedToMs(1, 'X')).toMatchObject({ kind: 'invalid', code: 'NMEA_FIELD_INVALID' });
    expect(speedToMs(1, undefined)).toMatchObject({ kind: 'invalid' });
  });

  it('reads degrees and minutes with their hemisphere as signed decimal degrees', () => {
    expect(degreesMinutes('4807.038', 'N', 2)).toEqual(value(48 + 7.038 / 60));
    expect(degreesMinutes('01131.000', 'W', 3)).toEqual(value(-(11 + 31 / 60)));
    expect(degreesMinutes('3345.5', 'S', 2)).toEqual(value(-(33 + 45.5 / 60)));
    expect(degreesMinutes('', '', 2)).toEqual(EMPTY);
    expect(degreesMinutes('4807.038', 'E', 2)).toMatchObject({ kind: 'invalid' });
    expect(degreesMinutes('4867.0', 'N', 2)).toMatchObject({ kind: 'invalid' });
    expect(degreesMinutes('9107.0', 'N', 2)).toMatchObject({ kind: 'invalid' });
    expect(degreesMinutes('04807.038', 'N', 2)).toMatchObject({ kind: 'invalid' });
  });
});

describe('MWV', () => {
  it('reads angle and speed per reference, in m/s', () => {
    expect(values('WIMWV,214.8,R,0.1,M,A')).toEqual({
      'MWV/relative/windAngle': value(214.8),
      'MWV/relative/windSpeed': value(0.1),
    });
    const knots = values('IIMWV,045.0,T,10.0,N,A');
    expect(knots['MWV/true/windAngle']).toEqual(value(45));
    expect((knots['MWV/true/windSpeed'] as { value: number }).value).toBeCloseTo(5.14444, 5);
    expect((values('WIMWV,0,R,36,K,A')['MWV/relative/windSpeed'] as { value: number }).value).toBeCloseTo(
      10,
      9,
    );
  });

  it('marks both values invalid on status V and keeps null fields empty otherwise', () => {
    expect(values('WIMWV,214.8,R,0.1,M,V')['MWV/relative/windSpeed']).toMatchObject({
      kind: 'invalid',
      code: 'NMEA_STATUS_INVALID',
    });
    expect(values('WIMWV,,R,,M,V')['MWV/relative/windAngle']).toMatchObject({ code: 'NMEA_STATUS_INVALID' });
    expect(values('WIMWV,,R,3.5,M,A')).toEqual({
      'MWV/relative/windAngle': EMPTY,
      'MWV/relative/windSpeed': value(3.5),
    });
  });

  it('refuses what cannot be wind', () => {
    expect(decode('WIMWV,10,X,1,M,A')).toMatchObject({ code: 'NMEA_FIELD_INVALID' });
    expect(decode('WIMWV,10,R,1,M,Q')).toMatchObject({ code: 'NMEA_FIELD_INVALID' });
    expect(values('WIMWV,361,R,1,M,A')['MWV/relative/windAngle']).toMatchObject({ kind: 'invalid' });
    expect(values('WIMWV,10,R,fast,M,A')['MWV/relative/windSpeed']).toMatchObject({
      kind: 'invalid',
      reason: 'wind speed "fast" is not a number',
    });
    expect(values('WIMWV,10,R,1,F,A')['MWV/relative/windSpeed']).toMatchObject({ kind: 'invalid' });
  });

  it('refuses a reference or speed unit named after a property every object has', () => {
    expect(decode('WIMWV,10,__proto__,1,M,A')).toMatchObject({ code: 'NMEA_FIELD_INVALID' });
    expect(decode('WIMWV,10,constructor,1,M,A')).toMatchObject({ code: 'NMEA_FIELD_INVALID' });
    expect(values('WIMWV,10,R,1,__proto__,A')['MWV/relative/windSpeed']).toMatchObject({
      kind: 'invalid',
      reason: 'unknown speed unit "__proto__"',
    });
  });

  it('refuses a number too long for a double instead of reading it as Infinity', () => {
    expect(values(`WIMWV,10,R,${'9'.repeat(309)},M,A`)['MWV/relative/windSpeed']).toMatchObject({
      kind: 'invalid',
      code: 'NMEA_FIELD_INVALID',
    });
  });
});

describe('MDA', () => {
  const full = 'WIMDA,29.920,I,1.01320,B,-3.2,C,4.5,C,88.0,3.1,-5.0,C,123.0,T,120.5,M,10.0,N,5.1,M';

  it('reads every field in its SI unit', () => {
    const v = values(full);
    expect((v['MDA/pressure'] as { value: number }).value).toBeCloseTo(1013.2, 9);
    expect(v).toMatchObject({
      'MDA/airTemperature': value(-3.2),
      'MDA/waterTemperature': value(4.5),
      'MDA/relativeHumidity': value(88),
      'MDA/absoluteHumidity': value(3.1),
      'MDA/dewPoint': value(-5),
      'MDA/windDirectionTrue': value(123),
      'MDA/windDirectionMagnetic': value(120.5),
      // m/s is taken when present, knots otherwise.
      'MDA/windSpeed': value(5.1),
    });
  });

  it('falls back to inHg and knots, and leaves null fields empty', () => {
    const v = values('WIMDA,30.000,I,,B,,C,,C,,,,C,,T,,M,10.0,N,,M');
    expect((v['MDA/pressure'] as { value: number }).value).toBeCloseTo(1015.9167, 3);
    expect((v['MDA/windSpeed'] as { value: number }).value).toBeCloseTo(5.14444, 5);
    expect(v['MDA/airTemperature']).toEqual(EMPTY);
    expect(v['MDA/waterTemperature']).toEqual(EMPTY);
    // A sentence cut short: its missing fields are null fields too.
    expect(values('WIMDA,30.000,I')['MDA/dewPoint']).toEqual(EMPTY);
  });

  it('refuses a value whose unit letter is wrong', () => {
    expect(values('WIMDA,,I,1.0,B,20,F,,C,,,,C,,T,,M,,N,,M')['MDA/airTemperature']).toMatchObject({
      kind: 'invalid',
      reason: 'air temperature in unit "F", expected "C"',
    });
  });

  it('refuses a pressure that overflows a double once bar are turned into hPa', () => {
    expect(values(`WIMDA,,I,${'9'.repeat(307)},B`)['MDA/pressure']).toMatchObject({
      kind: 'invalid',
      code: 'NMEA_FIELD_INVALID',
    });
  });
});

describe('XDR', () => {
  it('reads every quad with its unit letter', () => {
    expect(values('WIXDR,C,-3.2,C,TAIR,H,88.0,P,RH,P,1.01320,B,PRES,U,,V,VSUP')).toEqual({
      'XDR/C/TAIR': value(-3.2, 'C'),
      'XDR/H/RH': value(88, 'P'),
      'XDR/P/PRES': value(1.0132, 'B'),
      'XDR/U/VSUP': EMPTY,
    });
  });

  it('refuses a sentence that is not made of quads', () => {
    expect(decode('WIXDR,C,-3.2,C')).toMatchObject({ code: 'NMEA_FIELD_INVALID' });
    expect(decode('WIXDR')).toMatchObject({ code: 'NMEA_FIELD_INVALID' });
  });
});

describe('GGA', () => {
  it('reads position, altitude and quality, and the time of day of a fix', () => {
    const decoded = decode('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,');
    expect(decoded).toMatchObject({
      time: { kind: 'time-of-day', msOfDay: (12 * 3600 + 35 * 60 + 19) * 1000 },
    });
    const v = values('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,');
    expect(v['GGA/latitude']).toEqual(value(48 + 7.038 / 60));
    expect(v['GGA/longitude']).toEqual(value(11 + 31 / 60));
    expect(v).toMatchObject({
      'GGA/altitude': value(545.4),
      'GGA/satellites': value(8),
      'GGA/hdop': value(0.9),
      'GGA/fixQuality': value(1),
    });
  });

  it('without a fix, refuses position and time but still reports quality and satellites', () => {
    const body = 'GNGGA,000001.00,,,,,0,03,99.9,,M,,M,,';
    const decoded = decode(body);
    expect(decoded).not.toHaveProperty('time');
    const v = values(body);
    for (const field of ['latitude', 'longitude', 'altitude', 'hdop']) {
      expect(v[`GGA/${field}`]).toMatchObject({ kind: 'invalid', code: 'NMEA_NO_FIX' });
    }
    expect(v).toMatchObject({ 'GGA/fixQuality': value(0), 'GGA/satellites': value(3) });
  });
});

describe('RMC and ZDA', () => {
  it('RMC gives full UTC, position and speed in m/s', () => {
    const body = 'GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W';
    expect(decode(body)).toMatchObject({
      time: { kind: 'datetime', timeMs: Date.UTC(2094, 2, 23, 12, 35, 19) },
    });
    const v = values(body);
    expect((v['RMC/speedOverGround'] as { value: number }).value).toBeCloseTo(22.4 * 0.514444, 4);
    expect(v['RMC/courseOverGround']).toEqual(value(84.4));
  });

  it('RMC status V gives neither time nor values', () => {
    const body = 'GPRMC,123519,V,,,,,,,230394,,';
    expect(decode(body)).not.toHaveProperty('time');
    expect(values(body)['RMC/latitude']).toMatchObject({ code: 'NMEA_STATUS_INVALID' });
  });

  it('ZDA gives full UTC and nothing to select', () => {
    expect(decode('GPZDA,201530.00,04,07,2026,00,00')).toEqual({
      values: new Map(),
      time: { kind: 'datetime', timeMs: Date.UTC(2026, 6, 4, 20, 15, 30) },
    });
    expect(decode('GPZDA,201530.00,31,02,2026,00,00')).toEqual({ values: new Map() });
    expect(decode('GPZDA,,,,,,')).toEqual({ values: new Map() });
  });
});
