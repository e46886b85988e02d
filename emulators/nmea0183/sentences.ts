import { formatChecksum } from '../../firmware-bridge/drivers/serial/contract.js';

/** A field left empty (a null field) when the value is undefined. */
function fixed(value: number | undefined, decimals: number): string {
  return value === undefined ? '' : value.toFixed(decimals);
}

/** `$` + body + `*hh` + CR LF, the way a talker frames every sentence. */
export function frameSentence(body: string): string {
  return `$${body}*${formatChecksum(body)}\r\n`;
}

export function sentence(talker: string, formatter: string, fields: readonly string[]): string {
  return frameSentence([`${talker}${formatter}`, ...fields].join(','));
}

const two = (n: number) => String(n).padStart(2, '0');

/** `hhmmss.ss` in UTC. */
export function formatTimeOfDay(timeMs: number): string {
  const date = new Date(timeMs);
  const centis = Math.floor(date.getUTCMilliseconds() / 10);
  return `${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}.${two(centis)}`;
}

/** `ddmmyy` in UTC. */
export function formatDdmmyy(timeMs: number): string {
  const date = new Date(timeMs);
  return `${two(date.getUTCDate())}${two(date.getUTCMonth() + 1)}${two(date.getUTCFullYear() % 100)}`;
}

/** Signed decimal degrees as `ddmm.mmmm,N` (latitude) or `dddmm.mmmm,E` (longitude); empty when undefined. */
export function formatDegreesMinutes(degrees: number | undefined, kind: 'lat' | 'lon'): [string, string] {
  if (degrees === undefined) return ['', ''];
  const hemisphere = kind === 'lat' ? (degrees < 0 ? 'S' : 'N') : degrees < 0 ? 'W' : 'E';
  const totalMinutes = Math.round(Math.abs(degrees) * 60 * 10_000) / 10_000;
  const whole = Math.floor(totalMinutes / 60);
  const minutes = (totalMinutes - whole * 60).toFixed(4).padStart(7, '0');
  return [`${String(whole).padStart(kind === 'lat' ? 2 : 3, '0')}${minutes}`, hemisphere];
}

export interface MwvInput {
  angle?: number;
  speed?: number;
  reference: 'R' | 'T';
  unit: 'M' | 'N' | 'K';
  status: 'A' | 'V';
}

export function formatMwv(talker: string, wind: MwvInput): string {
  return sentence(talker, 'MWV', [
    fixed(wind.angle, 1),
    wind.reference,
    fixed(wind.speed, 2),
    wind.unit,
    wind.status,
  ]);
}

export interface MdaInput {
  pressureHpa?: number;
  airTemperature?: number;
  relativeHumidity?: number;
  dewPoint?: number;
  windDirection?: number;
  windSpeedMs?: number;
}

const INHG_PER_HPA = 1 / 33.86389;
const KNOTS_PER_MS = 3600 / 1852;

/** Water temperature, absolute humidity and magnetic direction stay null: a land station has none. */
export function formatMda(talker: string, met: MdaInput): string {
  const hPa = met.pressureHpa;
  const ms = met.windSpeedMs;
  return sentence(talker, 'MDA', [
    fixed(hPa === undefined ? undefined : hPa * INHG_PER_HPA, 3),
    'I',
    fixed(hPa === undefined ? undefined : hPa / 1000, 5),
    'B',
    fixed(met.airTemperature, 1),
    'C',
    '',
    'C',
    fixed(met.relativeHumidity, 1),
    '',
    fixed(met.dewPoint, 1),
    'C',
    fixed(met.windDirection, 1),
    'T',
    '',
    'M',
    fixed(ms === undefined ? undefined : ms * KNOTS_PER_MS, 1),
    'N',
    fixed(ms, 1),
    'M',
  ]);
}

export interface XdrQuad {
  type: string;
  value?: number;
  unit: string;
  name: string;
  decimals: number;
}

export function formatXdr(talker: string, quads: readonly XdrQuad[]): string {
  return sentence(
    talker,
    'XDR',
    quads.flatMap((quad) => [quad.type, fixed(quad.value, quad.decimals), quad.unit, quad.name]),
  );
}

export interface FixInput {
  timeMs: number;
  latitude?: number;
  longitude?: number;
  altitude?: number;
  /** 0 no fix, 1 GPS, 2 DGPS. */
  fixQuality: number;
  satellites: number;
  hdop: number;
}

export function formatGga(talker: string, fix: FixInput): string {
  return sentence(talker, 'GGA', [
    formatTimeOfDay(fix.timeMs),
    ...formatDegreesMinutes(fix.latitude, 'lat'),
    ...formatDegreesMinutes(fix.longitude, 'lon'),
    String(fix.fixQuality),
    two(fix.satellites),
    fix.hdop.toFixed(1),
    fixed(fix.altitude, 1),
    'M',
    '',
    'M',
    '',
    '',
  ]);
}

export function formatRmc(talker: string, fix: FixInput): string {
  return sentence(talker, 'RMC', [
    formatTimeOfDay(fix.timeMs),
    fix.fixQuality > 0 ? 'A' : 'V',
    ...formatDegreesMinutes(fix.latitude, 'lat'),
    ...formatDegreesMinutes(fix.longitude, 'lon'),
    '0.0',
    '',
    formatDdmmyy(fix.timeMs),
    '',
    '',
    fix.fixQuality > 0 ? 'A' : 'N',
  ]);
}

export function formatZda(talker: string, timeMs: number): string {
  const date = new Date(timeMs);
  return sentence(talker, 'ZDA', [
    formatTimeOfDay(timeMs),
    two(date.getUTCDate()),
    two(date.getUTCMonth() + 1),
    String(date.getUTCFullYear()),
    '00',
    '00',
  ]);
}
