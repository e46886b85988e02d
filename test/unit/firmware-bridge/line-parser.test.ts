import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../../firmware-bridge/drivers/serial/line-buffer.js';
import { formatChecksum } from '../../../firmware-bridge/drivers/serial/nmea-checksum.js';
import type { LineFormat } from '../../../firmware-bridge/drivers/serial-line/config.js';
import {
  type LineRoute,
  lineRoute,
  parseLine,
} from '../../../firmware-bridge/drivers/serial-line/line-parser.js';

const TWO_SENSORS = [
  { sensor: 'cave-co2-1', channel: 'co2' },
  { sensor: 'cave-temp-1', channel: 'temp' },
];

function route(format: LineFormat, sensors = TWO_SENSORS): LineRoute {
  return lineRoute(format, sensors);
}

const csv = route({ type: 'csv', delimiter: ',', columns: ['channel', 'value', 'time'] });
const kv = route({ type: 'kv', channelKey: 'sensor', valueKey: 'value', timeKey: 'time' });
const single = route({ type: 'value' }, [{ sensor: 'drip-rate-1', channel: 'drip-rate-1' }]);

describe('parseLine: CSV', () => {
  it('maps the channel column to its sensor and reads value and time', () => {
    expect(parseLine('co2,812.4,2026-11-27T08:00:00Z', csv)).toEqual({
      kind: 'sample',
      sensor: 'cave-co2-1',
      value: 812.4,
      timeMs: Date.UTC(2026, 10, 27, 8),
    });
    expect(parseLine('temp, -1.5e0 ,1764230400000\r', csv)).toEqual({
      kind: 'sample',
      sensor: 'cave-temp-1',
      value: -1.5,
      timeMs: 1764230400000,
    });
  });

  it('leaves the time out when the time column is empty or absent', () => {
    expect(parseLine('co2,812,', csv)).toEqual({ kind: 'sample', sensor: 'cave-co2-1', value: 812 });
    const noTime = route({ type: 'csv', delimiter: ';', columns: ['skip', 'value', 'channel'] });
    expect(parseLine('#17;3.25;temp', noTime)).toEqual({
      kind: 'sample',
      sensor: 'cave-temp-1',
      value: 3.25,
    });
  });

  it('takes a one-sensor CSV port without a channel column', () => {
    const valueOnly = route({ type: 'csv', delimiter: ',', columns: ['time', 'value'] }, [
      { sensor: 'spring-ph-1', channel: 'spring-ph-1' },
    ]);
    expect(parseLine('1764230400000,7.61', valueOnly)).toMatchObject({ sensor: 'spring-ph-1', value: 7.61 });
  });

  it('counts a wrong number of columns', () => {
    expect(parseLine('co2,812.4', csv)).toEqual({
      kind: 'error',
      code: 'LINE_FIELDS',
      reason: 'expected 3 columns, got 2',
    });
    expect(parseLine('co2,812.4,1,2', csv)).toMatchObject({ code: 'LINE_FIELDS' });
  });

  it('names the sensor when its value or time is bad', () => {
    expect(parseLine('co2,abc,', csv)).toMatchObject({
      kind: 'error',
      code: 'LINE_VALUE_NOT_NUMERIC',
      sensor: 'cave-co2-1',
    });
    expect(parseLine('co2,,', csv)).toMatchObject({ code: 'LINE_VALUE_NOT_NUMERIC' });
    expect(parseLine('co2,1e999,', csv)).toMatchObject({
      code: 'LINE_VALUE_NOT_NUMERIC',
      reason: expect.stringMatching(/finite/),
    });
    expect(parseLine('co2,NaN,', csv)).toMatchObject({ code: 'LINE_VALUE_NOT_NUMERIC' });
    expect(parseLine('co2,0x10,', csv)).toMatchObject({ code: 'LINE_VALUE_NOT_NUMERIC' });
    expect(parseLine('temp,1,yesterday', csv)).toMatchObject({
      code: 'LINE_TIME_INVALID',
      sensor: 'cave-temp-1',
    });
    // An RTC that lost power reads 1970.
    expect(parseLine('temp,1,0', csv)).toMatchObject({ code: 'LINE_TIME_INVALID' });
    expect(parseLine('temp,1,2026-11-27T08:00:00', csv)).toMatchObject({ code: 'LINE_TIME_INVALID' });
  });

  it('refuses an unknown channel without naming a sensor', () => {
    const result = parseLine('ch4,1.2,', csv);
    expect(result).toEqual({ kind: 'error', code: 'LINE_UNKNOWN_CHANNEL', reason: 'unknown channel "ch4"' });
  });
});

describe('parseLine: key=value', () => {
  it('reads pairs in any order', () => {
    expect(parseLine('sensor=co2 value=812.4', kv)).toEqual({
      kind: 'sample',
      sensor: 'cave-co2-1',
      value: 812.4,
    });
    expect(parseLine('  value=13.2\ttime=2026-11-27T08:00:00+08:00 sensor=temp extra=1 ', kv)).toEqual({
      kind: 'sample',
      sensor: 'cave-temp-1',
      value: 13.2,
      timeMs: Date.UTC(2026, 10, 27, 0),
    });
  });

  it('counts tokens that are not pairs and missing values', () => {
    expect(parseLine('sensor=co2 812.4', kv)).toMatchObject({
      code: 'LINE_FIELDS',
      reason: 'expected key=value, got "812.4"',
    });
    expect(parseLine('sensor=co2 =3', kv)).toMatchObject({ code: 'LINE_FIELDS' });
    expect(parseLine('sensor=co2 reading=1', kv)).toMatchObject({
      code: 'LINE_FIELDS',
      reason: 'missing "value="',
    });
  });

  it('needs the channel key on a shared port, not on a single-sensor one', () => {
    expect(parseLine('value=1', kv)).toMatchObject({
      code: 'LINE_UNKNOWN_CHANNEL',
      reason: 'line has no channel key',
    });
    const alone = route(kv.format, [{ sensor: 'cave-rh-1', channel: 'rh' }]);
    expect(parseLine('value=99.1', alone)).toEqual({ kind: 'sample', sensor: 'cave-rh-1', value: 99.1 });
    expect(parseLine('sensor=co2 value=1', alone)).toMatchObject({ code: 'LINE_UNKNOWN_CHANNEL' });
  });
});

describe('parseLine: single value', () => {
  it("reads a bare number for the port's only sensor", () => {
    expect(parseLine('42\r', single)).toEqual({ kind: 'sample', sensor: 'drip-rate-1', value: 42 });
    expect(parseLine('-.5', single)).toMatchObject({ value: -0.5 });
    expect(parseLine('42 drips', single)).toMatchObject({
      code: 'LINE_VALUE_NOT_NUMERIC',
      sensor: 'drip-rate-1',
    });
  });

  it('skips blank lines without counting them', () => {
    expect(parseLine('', single)).toEqual({ kind: 'blank' });
    expect(parseLine(' \r', csv)).toEqual({ kind: 'blank' });
  });

  it('refuses lines over 1 KiB before looking inside', () => {
    expect(parseLine('42'.padStart(MAX_LINE_BYTES), single)).toMatchObject({ kind: 'sample', value: 42 });
    expect(parseLine('42'.padStart(MAX_LINE_BYTES + 1), single)).toMatchObject({ code: 'LINE_TOO_LONG' });
    // Bytes, not characters: 342 three-byte characters are 1026 bytes.
    expect(parseLine('度'.repeat(342), single)).toMatchObject({ code: 'LINE_TOO_LONG' });
  });
});

describe('parseLine: NMEA checksum on any format', () => {
  const sum = (body: string) => `${body}*${formatChecksum(body)}`;
  const checkedCsv = route({ type: 'csv', delimiter: ',', columns: ['channel', 'value'], checksum: 'nmea' });

  it('reads the line between an optional $ and the checksum', () => {
    expect(parseLine(`${sum('co2,812.4')}\r`, checkedCsv)).toEqual({
      kind: 'sample',
      sensor: 'cave-co2-1',
      value: 812.4,
    });
    expect(parseLine(`$${sum('temp,13.5')}`, checkedCsv)).toEqual({
      kind: 'sample',
      sensor: 'cave-temp-1',
      value: 13.5,
    });
    const checkedKv = route({
      type: 'kv',
      channelKey: 'sensor',
      valueKey: 'value',
      timeKey: 'time',
      checksum: 'nmea',
    });
    expect(parseLine(sum('sensor=co2 value=1'), checkedKv)).toMatchObject({ kind: 'sample', value: 1 });
  });

  it('pins a wrong checksum on the sensor its channel names', () => {
    expect(parseLine('co2,812.4*00', checkedCsv)).toEqual({
      kind: 'error',
      code: 'LINE_CHECKSUM',
      reason: `checksum mismatch: line says 00, its bytes give ${formatChecksum('co2,812.4')}`,
      sensor: 'cave-co2-1',
    });
    // The channel itself corrupted: nobody can tell whose line it was.
    expect(parseLine('cx2,812.4*00', checkedCsv)).toEqual({
      kind: 'error',
      code: 'LINE_CHECKSUM',
      reason: expect.stringMatching(/^checksum mismatch/),
    });
  });

  it('counts a missing checksum, and on a one-sensor port pins it on that sensor', () => {
    expect(parseLine('co2,812.4', checkedCsv)).toMatchObject({
      code: 'LINE_CHECKSUM',
      reason: 'missing checksum: expected the line to end in *hh',
      sensor: 'cave-co2-1',
    });
    const checkedValue = route({ type: 'value', checksum: 'nmea' }, [
      { sensor: 'drip-rate-1', channel: 'drip-rate-1' },
    ]);
    expect(parseLine(sum('42'), checkedValue)).toEqual({ kind: 'sample', sensor: 'drip-rate-1', value: 42 });
    expect(parseLine('42', checkedValue)).toMatchObject({ code: 'LINE_CHECKSUM', sensor: 'drip-rate-1' });
    expect(parseLine('42*4', checkedValue)).toMatchObject({ code: 'LINE_CHECKSUM', reason: /^malformed/ });
  });

  it('lets lines without the option keep a star as data', () => {
    expect(
      parseLine('co2,812.4*00', route({ type: 'csv', delimiter: ',', columns: ['channel', 'value'] })),
    ).toMatchObject({
      code: 'LINE_VALUE_NOT_NUMERIC',
    });
  });
});

describe('parseLine: regex', () => {
  const regex = (pattern: string, sensors = TWO_SENSORS, flags = '') =>
    route({ type: 'regex', pattern, flags }, sensors);
  // A Vaisala-style line: "0R2,Ta=13.5C,Ua=99.1P"
  const vaisala = regex('^0R2,Ta=(?<value>[-+.\\d]+)C,');

  it('reads the value, channel and time groups', () => {
    const full = regex('^(?<channel>\\w+)\\s*@\\s*(?<time>\\S+)\\s*:\\s*(?<value>\\S+)$');
    expect(parseLine('co2 @ 2026-11-27T08:00:00Z : 812.4', full)).toEqual({
      kind: 'sample',
      sensor: 'cave-co2-1',
      value: 812.4,
      timeMs: Date.UTC(2026, 10, 27, 8),
    });
    expect(parseLine('0R2,Ta=13.5C,Ua=99.1P', { ...vaisala, single: 'cave-temp-1' })).toEqual({
      kind: 'sample',
      sensor: 'cave-temp-1',
      value: 13.5,
    });
  });

  it('honours flags and takes the line after its checksum', () => {
    const insensitive = regex('^T=(?<value>\\S+)$', [{ sensor: 'cave-temp-1', channel: 'cave-temp-1' }], 'i');
    expect(parseLine('t=4.5', insensitive)).toMatchObject({ kind: 'sample', value: 4.5 });
    const checked = lineRoute({ type: 'regex', pattern: '^T=(?<value>\\S+)$', flags: '', checksum: 'nmea' }, [
      { sensor: 'cave-temp-1', channel: 'cave-temp-1' },
    ]);
    expect(parseLine(`$T=4.5*${formatChecksum('T=4.5')}`, checked)).toMatchObject({
      kind: 'sample',
      value: 4.5,
    });
  });

  it('counts lines that do not match, and bad values or channels as other formats do', () => {
    const full = regex('^(?<channel>\\w+)=(?<value>.*)$');
    expect(parseLine('no equals sign', full)).toEqual({
      kind: 'error',
      code: 'LINE_FIELDS',
      reason: 'line does not match the pattern',
    });
    expect(parseLine('co2=lots', full)).toMatchObject({
      code: 'LINE_VALUE_NOT_NUMERIC',
      sensor: 'cave-co2-1',
    });
    expect(parseLine('ch4=1', full)).toMatchObject({ code: 'LINE_UNKNOWN_CHANNEL' });
    const optional = regex('^v(?<value>\\d+)?$', [{ sensor: 'cave-temp-1', channel: 'cave-temp-1' }]);
    expect(parseLine('v', optional)).toMatchObject({
      code: 'LINE_FIELDS',
      reason: /without its value group/,
    });
  });
});
