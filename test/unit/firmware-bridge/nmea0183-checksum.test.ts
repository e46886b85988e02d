import { describe, expect, it } from 'vitest';
import {
  checkNmeaChecksum,
  formatChecksum,
  nmeaChecksum,
} from '../../../firmware-bridge/drivers/serial/nmea-checksum.js';

// The textbook sentences every NMEA reference quotes, with their published checksums.
const GGA = '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47';
const RMC = '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A';

describe('NMEA checksum', () => {
  it('is the XOR of the bytes between the start character and the star', () => {
    expect(nmeaChecksum('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,')).toBe(0x47);
    expect(nmeaChecksum('')).toBe(0);
    expect(nmeaChecksum('A')).toBe(0x41);
    expect(nmeaChecksum('AB')).toBe(0x41 ^ 0x42);
    expect(formatChecksum('A')).toBe('41');
    expect(formatChecksum('AA')).toBe('00');
  });

  it('accepts correct checksums, in either case, and returns the body', () => {
    expect(checkNmeaChecksum(GGA, true)).toEqual({
      ok: true,
      body: 'GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,',
    });
    expect(checkNmeaChecksum(RMC, true)).toMatchObject({ ok: true });
    const lower = formatChecksum('AIVDM,1').toLowerCase();
    expect(checkNmeaChecksum(`!AIVDM,1*${lower}`, true)).toEqual({ ok: true, body: 'AIVDM,1' });
    // Without a start character the whole text before the star is summed.
    expect(checkNmeaChecksum(`co2,812.4*${formatChecksum('co2,812.4')}`, true)).toEqual({
      ok: true,
      body: 'co2,812.4',
    });
  });

  it('refuses a wrong checksum, saying both values', () => {
    const result = checkNmeaChecksum(GGA.replace('*47', '*48'), true);
    expect(result).toEqual({
      ok: false,
      reason: 'checksum mismatch: line says 48, its bytes give 47',
      body: 'GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,',
    });
    // One flipped bit in the data.
    expect(checkNmeaChecksum(GGA.replace('545.4', '545.5'), true)).toMatchObject({ ok: false });
  });

  it('refuses a missing or malformed checksum when required, takes a missing one when optional', () => {
    const bare = '$GPGGA,123519,4807.038,N';
    expect(checkNmeaChecksum(bare, true)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^missing/),
    });
    expect(checkNmeaChecksum(bare, false)).toEqual({ ok: true, body: 'GPGGA,123519,4807.038,N' });
    for (const malformed of [`${bare}*4`, `${bare}*4G`, `${bare}*477`, `${bare}*`]) {
      const result = checkNmeaChecksum(malformed, false);
      expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/^malformed/) });
      expect(result.body).toBe('GPGGA,123519,4807.038,N');
    }
  });
});
