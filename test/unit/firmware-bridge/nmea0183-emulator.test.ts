import { describe, expect, it } from 'vitest';
import {
  type BurstSettings,
  composeBurst,
  type EmulatedSentence,
  type NmeaEmulatorChannel,
  type NmeaFault,
} from '../../../emulators/nmea0183/burst.js';
import { formatDegreesMinutes, formatTimeOfDay } from '../../../emulators/nmea0183/sentences.js';
import type { NmeaDriverConfig } from '../../../firmware-bridge/drivers/nmea0183/config.js';
import {
  NmeaSentenceReader,
  type ReadOutcome,
} from '../../../firmware-bridge/drivers/nmea0183/sentence-reader.js';
import { checkNmeaChecksum } from '../../../firmware-bridge/drivers/serial/nmea-checksum.js';

const VALUES: Record<NmeaEmulatorChannel, number> = {
  windSpeed: 7.25,
  windDirection: 271.5,
  airTemperature: -4.3,
  relativeHumidity: 93.2,
  dewPoint: -5.2,
  pressure: 842.6,
  heaterTemperature: 6.1,
  supplyVoltage: 23.9,
  latitude: 39.9876,
  longitude: 115.4321,
  altitude: 2011.5,
};
const fixedValues = (channel: NmeaEmulatorChannel) => VALUES[channel];
const T = Date.UTC(2026, 11, 31, 23, 59, 59, 250);

const SETTINGS: BurstSettings = {
  weatherTalker: 'WI',
  gpsTalker: 'GN',
  sentences: ['MWV', 'MDA', 'XDR', 'GGA', 'RMC', 'ZDA'],
  windSpeedUnit: 'M',
  mwvReference: 'R',
};

const base = { type: 'nmea0183', port: 'wx' } as const;
const SENSORS: { id: string; driver: NmeaDriverConfig }[] = [
  { id: 'wind-speed', driver: { ...base, sentence: 'MWV', field: 'windSpeed', reference: 'relative' } },
  { id: 'wind-dir', driver: { ...base, sentence: 'MWV', field: 'windAngle', reference: 'relative' } },
  { id: 'pressure', driver: { ...base, sentence: 'MDA', field: 'pressure' } },
  { id: 'dew-point', driver: { ...base, sentence: 'MDA', field: 'dewPoint' } },
  { id: 'mda-wind', driver: { ...base, sentence: 'MDA', field: 'windSpeed' } },
  { id: 'air-temp', driver: { ...base, sentence: 'XDR', transducer: 'C', name: 'TAIR', unit: 'C' } },
  { id: 'heater', driver: { ...base, sentence: 'XDR', transducer: 'C', name: 'THEAT' } },
  { id: 'xdr-pressure', driver: { ...base, sentence: 'XDR', transducer: 'P', name: 'PRES', unit: 'B' } },
  { id: 'latitude', driver: { ...base, sentence: 'GGA', field: 'latitude' } },
  { id: 'longitude', driver: { ...base, sentence: 'RMC', field: 'longitude' } },
];

function readBurst(burst: string): ReadOutcome[] {
  const reader = new NmeaSentenceReader(
    { type: 'nmea0183', checksum: 'required', maxSentenceLength: 200 },
    SENSORS,
  );
  reader.read('', 0);
  return burst.split('\n').flatMap((line) => reader.read(line, T + 400));
}

function burst(faults: [EmulatedSentence, NmeaFault][] = [], settings = SETTINGS): string {
  return composeBurst(settings, new Map(faults), fixedValues, T, () => 0.5);
}

function samples(outcomes: ReadOutcome[]): Record<string, number> {
  return Object.fromEntries(outcomes.flatMap((o) => (o.kind === 'sample' ? [[o.sensor, o.value]] : [])));
}

describe('NMEA talker emulator sentences', () => {
  it('frames every sentence with CR LF and a correct checksum', () => {
    const lines = burst().split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => l.slice(1, 6))).toEqual([
      'WIMWV',
      'WIMDA',
      'WIXDR',
      'WIXDR',
      'GNGGA',
      'GNRMC',
      'GNZDA',
    ]);
    for (const l of lines) {
      expect(checkNmeaChecksum(l, true), l).toMatchObject({ ok: true });
      expect(l.length + 2).toBeLessThanOrEqual(82);
    }
  });

  it('formats time and position as receivers do', () => {
    expect(formatTimeOfDay(T)).toBe('235959.25');
    expect(formatDegreesMinutes(-33.5, 'lat')).toEqual(['3330.0000', 'S']);
    expect(formatDegreesMinutes(7.999999999, 'lon')).toEqual(['00800.0000', 'E']);
    expect(formatDegreesMinutes(undefined, 'lat')).toEqual(['', '']);
  });

  it('reads back through the driver as the values it was given, with the GPS time', () => {
    const outcomes = readBurst(burst());
    const read = samples(outcomes);
    expect(read).toMatchObject({
      'wind-speed': 7.25,
      'wind-dir': 271.5,
      'dew-point': -5.2,
      'air-temp': -4.3,
      heater: 6.1,
      'xdr-pressure': 0.8426,
    });
    expect(read.pressure).toBeCloseTo(842.6, 6);
    expect(read['mda-wind']).toBeCloseTo(7.3, 6); // MDA carries one decimal
    expect(read.latitude).toBeCloseTo(39.9876, 6);
    expect(read.longitude).toBeCloseTo(115.4321, 6);
    expect(outcomes.filter((o) => o.kind === 'error')).toEqual([]);
    const times = outcomes.flatMap((o) => (o.kind === 'time' ? [o.timeMs] : []));
    expect(times).toEqual([T, T, T]); // GGA, RMC and ZDA, across the new year
  });

  it('converts its wind speed unit back to m/s', () => {
    for (const unit of ['N', 'K'] as const) {
      const read = samples(readBurst(burst([], { ...SETTINGS, windSpeedUnit: unit })));
      expect(read['wind-speed']).toBeCloseTo(7.25, 2);
    }
  });

  it('injects faults per sentence', () => {
    const outcomes = readBurst(
      burst([
        ['MWV', 'bad-checksum'],
        ['MDA', 'empty'],
        ['XDR', 'garbage'],
        ['GGA', 'status-v'],
        ['RMC', 'silent'],
      ]),
    );
    const errors = outcomes.flatMap((o) => (o.kind === 'error' ? [`${o.code} ${o.sensors.join(',')}`] : []));
    expect(errors).toEqual([
      'NMEA_CHECKSUM wind-speed,wind-dir',
      'NMEA_FIELD_EMPTY pressure',
      'NMEA_FIELD_EMPTY dew-point',
      'NMEA_FIELD_EMPTY mda-wind',
      `NMEA_FRAMING ${SENSORS.map((s) => s.id).join(',')}`,
      'NMEA_NO_FIX latitude',
    ]);
    expect(samples(outcomes)).toEqual({});
    // Only ZDA still vouches for the time.
    expect(outcomes.filter((o) => o.kind === 'time')).toHaveLength(1);
    expect(readBurst(burst([['MWV', 'status-v']]))).toContainEqual(
      expect.objectContaining({ code: 'NMEA_STATUS_INVALID', sensors: ['wind-speed'] }),
    );
  });
});
