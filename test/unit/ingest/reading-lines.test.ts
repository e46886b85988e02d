import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePoint, READING } from '../../../influx/index.js';
import { readingLine, readingLines } from '../../../ingest/pipeline/reading-lines.js';
import { ReadingsBatchSchema } from '../../../protocol/index.js';

const address = { station: 'jinfo', gateway: 'cave-gw-1' };

describe('readingLines', () => {
  it('writes tags, float value, integer qc and a ms timestamp', () => {
    const batch = ReadingsBatchSchema.parse({
      v: 1,
      seq: 1,
      readings: [
        { sensor: 'cave-co2-1', quantity: 'co2', unit: 'ppm', value: 812, time: 1764194400000, qc: 1 },
      ],
    });
    expect(readingLines(address, batch.readings)).toEqual([
      'reading,gateway=cave-gw-1,quantity=co2,sensor=cave-co2-1,station=jinfo,unit=ppm value=812,qc=1i 1764194400000',
    ]);
  });

  it('defaults qc to 2 and keeps UCUM brackets and symbols in the unit tag', () => {
    const batch = ReadingsBatchSchema.parse({
      v: 1,
      seq: 1,
      readings: [
        { sensor: 's1', quantity: 'ice-thickness', unit: '[ppm]', value: -0.5, time: 1764194400001 },
      ],
    });
    const [line] = readingLines(address, batch.readings);
    expect(line).toContain(',unit=[ppm] ');
    expect(line).toMatch(/ value=-0\.5,qc=2i 1764194400001$/);
  });

  it('writes clock="unsynced" only on readings sampled while the gateway clock was not synchronised', () => {
    const reading = {
      sensor: 's1',
      quantity: 'q',
      unit: 'Cel',
      value: 1,
      time: 1764194400000,
      qc: 2,
    } as const;
    expect(readingLine(address, { ...reading, clock: 'unsynced' })).toMatch(
      / value=1,qc=2i,clock="unsynced" 1764194400000$/,
    );
    expect(readingLine(address, reading)).not.toContain('clock');
  });

  it('escapes tag values that contain line-protocol delimiters', () => {
    const line = readingLine(
      { station: 'jinfo', gateway: 'gw' },
      { sensor: 's1', quantity: 'q', unit: 'a b,c=d', value: 1, time: 1764194400000, qc: 2 },
    );
    expect(line).toContain('unit=a\\ b\\,c\\=d ');
  });

  it('produces the identical point for the identical reading, so replays overwrite themselves', () => {
    const input = {
      v: 1,
      seq: 9,
      readings: [{ sensor: 's1', quantity: 'co2', unit: '[ppm]', value: 1.25, time: 1764194400000 }],
    };
    const first = readingLines(address, ReadingsBatchSchema.parse(input).readings);
    const replay = readingLines(address, ReadingsBatchSchema.parse({ ...input, seq: 10 }).readings);
    expect(replay).toEqual(first);
  });

  it('keeps series apart that differ in one tag, and refuses a bad tag every time, not only the first', () => {
    const reading = {
      sensor: 's1',
      quantity: 'q',
      unit: 'Cel',
      value: 1,
      time: 1764194400000,
      qc: 2,
    } as const;
    expect(readingLine(address, reading)).toContain('unit=Cel ');
    expect(readingLine(address, { ...reading, unit: 'K' })).toContain('unit=K ');
    expect(readingLine({ ...address, gateway: 'other' }, reading)).toContain('gateway=other,');
    const broken = { ...reading, unit: 'a\nb' };
    expect(() => readingLine(address, broken)).toThrow(/line break/);
    expect(() => readingLine(address, broken)).toThrow(/line break/);
  });

  it('writes the same bytes as the generic point encoder', () => {
    const reading = fc.record(
      {
        sensor: fc.constantFrom('s1', 'cave-co2-1'),
        quantity: fc.constantFrom('co2', 'q'),
        unit: fc.constantFrom('[ppm]', 'Cel', 'm/s'),
        value: fc.double({ noNaN: true, noDefaultInfinity: true }),
        time: fc.integer({ min: 946684800000, max: 4102444800000 }),
        qc: fc.constantFrom(1, 2, 3, 4, 9),
        clock: fc.constant('unsynced' as const),
      },
      { requiredKeys: ['sensor', 'quantity', 'unit', 'value', 'time', 'qc'] },
    );
    fc.assert(
      fc.property(reading, (r) => {
        const expected = encodePoint({
          measurement: READING.name,
          tags: {
            station: address.station,
            gateway: address.gateway,
            sensor: r.sensor,
            quantity: r.quantity,
            unit: r.unit,
          },
          fields: {
            value: { float: r.value },
            qc: { int: r.qc },
            ...(r.clock === undefined ? {} : { clock: { str: r.clock } }),
          },
          timestamp: r.time,
        });
        expect(readingLine(address, r)).toBe(expected);
      }),
    );
  });
});
