import { describe, expect, it } from 'vitest';
import {
  columnReader,
  defineMeasurement,
  encodePoint,
  recordPoint,
  selectList,
  seriesTag,
  storedName,
} from '../../../influx/index.js';

const SAMPLE = defineMeasurement({
  name: 'sample',
  tags: { station: 'station', sensorId: 'sensor_id' },
  fields: { elevation: 'elevation_m', note: 'note', count: 'count' },
});

describe('measurement records', () => {
  it('writes a point under the stored names, in the order given, leaving out undefined values', () => {
    const point = recordPoint(SAMPLE, {
      tags: { sensorId: 'a-1', station: 'jinfo' },
      fields: { note: undefined, count: { int: 2 }, elevation: { float: 1.5 } },
      timestamp: 7,
    });
    expect(point).toEqual({
      measurement: 'sample',
      tags: { sensor_id: 'a-1', station: 'jinfo' },
      fields: { count: { int: 2 }, elevation_m: { float: 1.5 } },
      timestamp: 7,
    });
    expect(encodePoint(point)).toBe('sample,sensor_id=a-1,station=jinfo count=2i,elevation_m=1.5 7');
  });

  it('names columns for queries by the stored names, quoted', () => {
    expect(storedName(SAMPLE, 'time')).toBe('time');
    expect(storedName(SAMPLE, 'sensorId')).toBe('sensor_id');
    expect(selectList(SAMPLE, ['elevation', 'sensorId'])).toBe('"elevation_m", "sensor_id"');
  });

  it('reads a row by our names, wherever the server put the columns', () => {
    const cell = columnReader(SAMPLE, ['time', 'elevation_m', 'sensor_id']);
    const row = [5, 2.5, 'a-1'];
    expect(cell(row, 'time')).toBe(5);
    expect(cell(row, 'elevation')).toBe(2.5);
    expect(cell(row, 'sensorId')).toBe('a-1');
    expect(cell(row, 'note')).toBeUndefined();
  });

  it("reads a grouped series' tags by our names", () => {
    const series = { tags: { sensor_id: 'a-1', station: 'jinfo' } };
    expect(seriesTag(SAMPLE, series, 'sensorId')).toBe('a-1');
    expect(seriesTag(SAMPLE, series, 'station')).toBe('jinfo');
    expect(seriesTag(SAMPLE, {}, 'station')).toBeUndefined();
  });
});
