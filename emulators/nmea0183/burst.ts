import {
  type FixInput,
  formatGga,
  formatMda,
  formatMwv,
  formatRmc,
  formatXdr,
  formatZda,
} from './sentences.js';

/** The signals an emulated weather station and GPS report; `valueOf` is asked for each. */
export const NMEA_EMULATOR_CHANNELS = [
  'windSpeed', // m/s
  'windDirection', // degrees
  'airTemperature', // °C
  'relativeHumidity', // %
  'dewPoint', // °C
  'pressure', // hPa
  'heaterTemperature', // °C, the heated anemometer's transducer heads
  'supplyVoltage', // V
  'latitude', // decimal degrees
  'longitude', // decimal degrees
  'altitude', // m above mean sea level
] as const;

export type NmeaEmulatorChannel = (typeof NMEA_EMULATOR_CHANNELS)[number];
export type ValueOf = (channel: NmeaEmulatorChannel, timeMs: number) => number;

export const EMULATED_SENTENCES = ['MWV', 'MDA', 'XDR', 'GGA', 'RMC', 'ZDA'] as const;
export type EmulatedSentence = (typeof EMULATED_SENTENCES)[number];

/**
 * `bad-checksum`: the sentence with a wrong `*hh`; `garbage`: a line of noise in its place; `silent`:
 * not sent; `status-v`: MWV with status V, GGA with fix quality 0, RMC with status V (MDA, XDR and ZDA
 * have no status and are sent as usual); `empty`: every value a null field.
 */
export type NmeaFault = 'bad-checksum' | 'garbage' | 'silent' | 'status-v' | 'empty';

export interface BurstSettings {
  weatherTalker: string;
  gpsTalker: string;
  sentences: readonly EmulatedSentence[];
  windSpeedUnit: 'M' | 'N' | 'K';
  mwvReference: 'R' | 'T';
}

const SPEED_PER_MS = { M: 1, N: 3600 / 1852, K: 3.6 } as const;

type Read = (channel: NmeaEmulatorChannel) => number | undefined;

function fixOf(read: Read, timeMs: number, fault: NmeaFault | undefined): FixInput {
  if (fault === 'status-v') return { timeMs, fixQuality: 0, satellites: 3, hdop: 99.9 };
  return {
    timeMs,
    latitude: read('latitude'),
    longitude: read('longitude'),
    altitude: read('altitude'),
    fixQuality: 1,
    satellites: 9,
    hdop: 0.9,
  };
}

function format(
  sentence: EmulatedSentence,
  settings: BurstSettings,
  read: Read,
  timeMs: number,
  fault?: NmeaFault,
): string {
  const { weatherTalker, gpsTalker } = settings;
  switch (sentence) {
    case 'MWV': {
      const speed = read('windSpeed');
      return formatMwv(weatherTalker, {
        angle: read('windDirection'),
        speed: speed === undefined ? undefined : speed * SPEED_PER_MS[settings.windSpeedUnit],
        reference: settings.mwvReference,
        unit: settings.windSpeedUnit,
        status: fault === 'status-v' ? 'V' : 'A',
      });
    }
    case 'MDA':
      return formatMda(weatherTalker, {
        pressureHpa: read('pressure'),
        airTemperature: read('airTemperature'),
        relativeHumidity: read('relativeHumidity'),
        dewPoint: read('dewPoint'),
        windDirection: read('windDirection'),
        windSpeedMs: read('windSpeed'),
      });
    case 'XDR': {
      // Two sentences, as such instruments send them: all five quads in one would exceed 82 characters.
      const pressure = read('pressure');
      return (
        formatXdr(weatherTalker, [
          { type: 'C', value: read('airTemperature'), unit: 'C', name: 'TAIR', decimals: 1 },
          { type: 'H', value: read('relativeHumidity'), unit: 'P', name: 'RH', decimals: 1 },
          {
            type: 'P',
            value: pressure === undefined ? undefined : pressure / 1000,
            unit: 'B',
            name: 'PRES',
            decimals: 5,
          },
        ]) +
        formatXdr(weatherTalker, [
          { type: 'C', value: read('heaterTemperature'), unit: 'C', name: 'THEAT', decimals: 1 },
          { type: 'U', value: read('supplyVoltage'), unit: 'V', name: 'VSUP', decimals: 2 },
        ])
      );
    }
    case 'GGA':
      return formatGga(gpsTalker, fixOf(read, timeMs, fault));
    case 'RMC':
      return formatRmc(gpsTalker, fixOf(read, timeMs, fault));
    case 'ZDA':
      return formatZda(gpsTalker, timeMs);
  }
}

/** The same sentences with their checksums inverted: every bit of each `*hh` wrong. */
export function corruptChecksums(lines: string): string {
  return lines.replace(/\*([0-9A-F]{2})\r\n/g, (_, hex: string) => {
    const wrong = (Number.parseInt(hex, 16) ^ 0xff).toString(16).toUpperCase().padStart(2, '0');
    return `*${wrong}\r\n`;
  });
}

/** A line of noise, as a wrong baud rate or a glitch produces: no `$`, no newline until its end. */
export function garbageLine(random: () => number): string {
  const bytes = Array.from({ length: 24 }, () => {
    const code = 0x21 + Math.floor(random() * 0x5e);
    return code === 0x24 || code === 0x21 ? '#' : String.fromCharCode(code);
  });
  return `${bytes.join('')}\r\n`;
}

/** Everything the talker sends at `timeMs`, one sentence per line, faults applied. Pure apart from `random`. */
export function composeBurst(
  settings: BurstSettings,
  faults: ReadonlyMap<EmulatedSentence, NmeaFault>,
  values: ValueOf,
  timeMs: number,
  random: () => number = Math.random,
): string {
  return settings.sentences
    .map((sentence) => {
      const fault = faults.get(sentence);
      if (fault === 'silent') return '';
      if (fault === 'garbage') return garbageLine(random);
      const read: Read = (channel) => (fault === 'empty' ? undefined : values(channel, timeMs));
      const text = format(sentence, settings, read, timeMs, fault);
      return fault === 'bad-checksum' ? corruptChecksums(text) : text;
    })
    .join('');
}
