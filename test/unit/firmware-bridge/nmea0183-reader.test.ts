import { describe, expect, it } from 'vitest';
import { frameSentence } from '../../../emulators/nmea0183/sentences.js';
import type { NmeaDriverConfig, NmeaPortProtocol } from '../../../firmware-bridge/drivers/nmea0183/config.js';
import { NmeaSentenceReader } from '../../../firmware-bridge/drivers/nmea0183/sentence-reader.js';

const PROTOCOL: NmeaPortProtocol = { type: 'nmea0183', checksum: 'required', maxSentenceLength: 120 };
const base = { type: 'nmea0183', port: 'wx' } as const;

const SENSORS: { id: string; driver: NmeaDriverConfig }[] = [
  { id: 'wind-speed', driver: { ...base, sentence: 'MWV', field: 'windSpeed', reference: 'relative' } },
  { id: 'wind-dir', driver: { ...base, sentence: 'MWV', field: 'windAngle', reference: 'relative' } },
  { id: 'air-temp', driver: { ...base, sentence: 'XDR', transducer: 'C', name: 'TAIR', unit: 'C' } },
  { id: 'pressure', driver: { ...base, sentence: 'MDA', field: 'pressure', talker: 'WI' } },
  { id: 'water-temp', driver: { ...base, sentence: 'MDA', field: 'waterTemperature' } },
  { id: 'altitude', driver: { ...base, sentence: 'GGA', field: 'altitude' } },
];
const ALL = SENSORS.map((s) => s.id);

/** A reader that has already seen one line since the port opened. */
function reader(protocol = PROTOCOL): NmeaSentenceReader {
  const r = new NmeaSentenceReader(protocol, SENSORS);
  r.read(frameSentence('GPGSV,1,1,00'), 0);
  return r;
}

const line = (body: string) => frameSentence(body).trimEnd();
const T = Date.UTC(2026, 5, 10, 12);

describe('NmeaSentenceReader', () => {
  it('hands each sensor the value it selects', () => {
    const r = reader();
    expect(r.read(line('WIMWV,214.8,R,3.5,M,A'), T)).toEqual([
      { kind: 'sample', sensor: 'wind-speed', value: 3.5 },
      { kind: 'sample', sensor: 'wind-dir', value: 214.8 },
    ]);
    expect(r.read(line('WIXDR,C,-3.2,C,TAIR,H,88,P,RH'), T)).toEqual([
      { kind: 'sample', sensor: 'air-temp', value: -3.2 },
    ]);
    // Wind relative to true north is for other sensors.
    expect(r.read(line('WIMWV,100,T,3.5,M,A'), T)).toEqual([]);
    // A quad spread into another XDR sentence is no fault.
    expect(r.read(line('WIXDR,U,12.1,V,VSUP'), T)).toEqual([]);
  });

  it('counts a null field as no value for that sensor only', () => {
    expect(reader().read(line('WIMDA,29.92,I,1.0132,B,,C,,C,,,,C,,T,,M,,N,,M'), T)).toEqual([
      { kind: 'sample', sensor: 'pressure', value: 1013.2 },
      {
        kind: 'error',
        code: 'NMEA_FIELD_EMPTY',
        reason: 'MDA waterTemperature: null field, no value this time',
        sensors: ['water-temp'],
        scope: 'sensors',
      },
    ]);
  });

  it('filters by talker when a sensor names one', () => {
    expect(reader().read(line('IIMDA,29.92,I,1.0132,B,,C,5,C,,,,C,,T,,M,,N,,M'), T)).toEqual([
      { kind: 'sample', sensor: 'water-temp', value: 5 },
    ]);
  });

  it('pins a bad checksum on the sensors reading that sentence', () => {
    const good = line('WIMWV,214.8,R,3.5,M,A');
    const bad = good.replace(/\*..$/, '*00');
    expect(reader().read(bad, T)).toEqual([
      {
        kind: 'error',
        code: 'NMEA_CHECKSUM',
        reason: expect.stringMatching(/^WIMWV: checksum mismatch: line says 00/),
        sensors: ['wind-speed', 'wind-dir'],
        scope: 'sensors',
      },
    ]);
    expect(reader().read('$WIMWV,214.8,R,3.5,M,A', T)).toMatchObject([
      { code: 'NMEA_CHECKSUM', reason: /missing/ },
    ]);
    // A checksum error in a sentence no sensor reads concerns nobody.
    expect(reader().read('$GPGSV,1,1,00*00', T)).toEqual([]);
  });

  it('takes sentences without checksum when the port says it is optional', () => {
    const r = reader({ ...PROTOCOL, checksum: 'optional' });
    expect(r.read('$WIMWV,214.8,R,3.5,M,A\r', T)).toHaveLength(2);
    expect(r.read('$WIMWV,214.8,R,3.5,M,A*00', T)).toMatchObject([{ code: 'NMEA_CHECKSUM' }]);
  });

  it('charges noise nobody can attribute to every sensor of the port, and still reads a sentence after it', () => {
    const r = reader();
    expect(r.read('\u0000\u00ff#&%garbage', T)).toEqual([
      {
        kind: 'error',
        code: 'NMEA_FRAMING',
        reason: expect.stringMatching(/^not a sentence/),
        sensors: ALL,
        scope: 'port',
      },
    ]);
    expect(r.read(`xx${line('WIMWV,10,R,1,M,A')}`, T)).toEqual([
      {
        kind: 'error',
        code: 'NMEA_FRAMING',
        reason: '2 characters of noise before "$"',
        sensors: ALL,
        scope: 'port',
      },
      { kind: 'sample', sensor: 'wind-speed', value: 1 },
      { kind: 'sample', sensor: 'wind-dir', value: 10 },
    ]);
    expect(r.read(line('wimwv,10,R,1,M,A'), T)).toMatchObject([{ code: 'NMEA_FRAMING', scope: 'port' }]);
  });

  it('passes over blank lines, proprietary, encapsulated and unknown sentences', () => {
    const r = reader();
    for (const text of [
      '',
      '\r',
      line('PGRMZ,246,f,3'),
      line('AIVDM,1,1,,A,13aG').replace('$', '!'),
      line('GPVTG,,T,,M,0.0,N,0.0,K'),
    ]) {
      expect(r.read(text, T)).toEqual([]);
    }
  });

  it('ignores the tail of a sentence cut by the port opening, but only as the first line', () => {
    const r = new NmeaSentenceReader(PROTOCOL, SENSORS);
    expect(r.read('3.5,M,A*3C', T)).toEqual([]);
    expect(r.read('3.5,M,A*3C', T)).toMatchObject([{ code: 'NMEA_FRAMING' }]);
    r.reset();
    expect(r.read('', T)).toEqual([]);
    expect(r.read('R,3.5,M,A*3C', T)).toEqual([]);
  });

  it('refuses sentences longer than the port allows, before the checksum', () => {
    const long = line(`WIXDR,${Array.from({ length: 12 }, (_, i) => `C,1.0,C,T${i}`).join(',')}`);
    expect(long.length + 2).toBeGreaterThan(120);
    expect(reader().read(long, T)).toEqual([
      {
        kind: 'error',
        code: 'NMEA_TOO_LONG',
        reason: `WIXDR: sentence of ${long.length + 2} characters, longer than 120`,
        sensors: ['air-temp'],
        scope: 'sensors',
      },
    ]);
    expect(reader({ ...PROTOCOL, maxSentenceLength: 300 }).read(long, T)).toEqual([]);
  });

  it('refuses a value in another unit than the sensor pinned', () => {
    expect(reader().read(line('WIXDR,C,25.6,F,TAIR'), T)).toMatchObject([
      { code: 'NMEA_FIELD_INVALID', reason: 'XDR C TAIR: unit "F", expected "C"', sensors: ['air-temp'] },
    ]);
  });

  it('reports a status V, a missing fix and a sentence that cannot be read against their sensors', () => {
    const r = reader();
    expect(r.read(line('WIMWV,214.8,R,3.5,M,V'), T)).toMatchObject([
      { code: 'NMEA_STATUS_INVALID', sensors: ['wind-speed'] },
      { code: 'NMEA_STATUS_INVALID', sensors: ['wind-dir'] },
    ]);
    expect(r.read(line('GPGGA,120000.00,,,,,0,00,99.9,,M,,M,,'), T)).toMatchObject([
      { code: 'NMEA_NO_FIX', sensors: ['altitude'] },
    ]);
    expect(r.read(line('WIXDR,C,1,C'), T)).toMatchObject([
      { code: 'NMEA_FIELD_INVALID', reason: /^WIXDR: XDR has 3 fields/, sensors: ['air-temp'] },
    ]);
  });

  it('reports the UTC of a fix, dating GGA from the last RMC', () => {
    const r = reader();
    const received = T + 3 * 86_400_000; // the gateway's clock is three days fast
    expect(r.read(line('GPRMC,115959.00,A,4007.4074,N,11630.0000,W,0.0,,100626,,,A'), received)).toEqual([
      { kind: 'time', timeMs: T - 1000 },
    ]);
    expect(
      r.read(line('GPGGA,120000.00,4007.4074,N,11630.0000,W,1,09,0.9,1400.0,M,,M,,'), received + 1000),
    ).toEqual([
      { kind: 'sample', sensor: 'altitude', value: 1400 },
      { kind: 'time', timeMs: T },
    ]);
  });
});
