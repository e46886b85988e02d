import { describe, expect, it } from 'vitest';
import {
  GpsDateAnchor,
  nearestTimeOfDay,
  parseDdmmyy,
  parseTimeOfDay,
  utcDate,
} from '../../../firmware-bridge/drivers/nmea0183/gps-time.js';

const H = 3_600_000;

describe('GPS time fields', () => {
  it('reads hhmmss with or without fraction', () => {
    expect(parseTimeOfDay('123519')).toBe((12 * 3600 + 35 * 60 + 19) * 1000);
    expect(parseTimeOfDay('000000.00')).toBe(0);
    expect(parseTimeOfDay('235959.999')).toBe(86_399_999);
    expect(parseTimeOfDay('235960')).toBe(86_400_000); // a leap second
    for (const bad of ['', '12351', '243000', '126000', '12:35:19', '123519.', undefined]) {
      expect(parseTimeOfDay(bad)).toBeUndefined();
    }
  });

  it('reads ddmmyy as a date in 2000-2099 and refuses dates that do not exist', () => {
    expect(parseDdmmyy('230394')).toBe(Date.UTC(2094, 2, 23));
    expect(parseDdmmyy('020126')).toBe(Date.UTC(2026, 0, 2));
    expect(parseDdmmyy('290224')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDdmmyy('290225')).toBeUndefined();
    expect(parseDdmmyy('001326')).toBeUndefined();
    expect(parseDdmmyy('1234')).toBeUndefined();
    expect(utcDate(2026, 12, 31)).toBe(Date.UTC(2026, 11, 31));
    expect(utcDate(2026, 4, 31)).toBeUndefined();
  });
});

describe('nearestTimeOfDay', () => {
  const day = Date.UTC(2026, 5, 10);
  it('puts the time on the anchor day when that is nearest', () => {
    expect(nearestTimeOfDay(12 * H, day + 12 * H + 500)).toBe(day + 12 * H);
  });

  it('rolls back over midnight: 23:59:59.8 read at 00:00:00.1 is the day before', () => {
    expect(nearestTimeOfDay(24 * H - 200, day + 100)).toBe(day - 200);
  });

  it('rolls forward over midnight: 00:00:00.2 read at 23:59:59.9 is the next day', () => {
    expect(nearestTimeOfDay(200, day + 24 * H - 100)).toBe(day + 24 * H + 200);
  });
});

describe('GpsDateAnchor', () => {
  const day = Date.UTC(2026, 5, 10);
  it("without a date from the talker, dates a time of day by the gateway's clock", () => {
    const anchor = new GpsDateAnchor();
    expect(anchor.resolve({ kind: 'time-of-day', msOfDay: 8 * H }, day + 8 * H + 300)).toBe(day + 8 * H);
  });

  it("takes the talker's date over the gateway's, carried forward across midnight", () => {
    const anchor = new GpsDateAnchor();
    // The gateway's clock is three days behind; RMC says what day it is.
    const lag = 3 * 24 * H;
    const rmc = day + 24 * H - 1000; // 23:59:59.0
    expect(anchor.resolve({ kind: 'datetime', timeMs: rmc }, rmc - lag)).toBe(rmc);
    // Two seconds later a GGA at 00:00:01.0: the next day, not the same one.
    const gga = anchor.resolve({ kind: 'time-of-day', msOfDay: 1000 }, rmc - lag + 2000);
    expect(gga).toBe(day + 24 * H + 1000);
    // Hours later, still carried forward by the gateway's elapsed time.
    expect(anchor.resolve({ kind: 'time-of-day', msOfDay: 5 * H }, rmc - lag + 5 * H)).toBe(
      day + 24 * H + 5 * H,
    );
  });
});
