import { describe, expect, it } from 'vitest';
import { csvField, csvRow, encodeSeriesCsv } from '../../../api/routes/series/series-csv.js';
import type { QuerySeries } from '../../../influx/index.js';

async function* chunks(...series: QuerySeries[]): AsyncGenerator<QuerySeries> {
  yield* series;
}

async function collect(source: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const part of source) text += part;
  return text;
}

const TAGS = { station: 'jinfo', gateway: 'pi-1', sensor: 'cave-t', quantity: 'temperature', unit: 'Cel' };

describe('CSV encoding', () => {
  it('leaves plain fields alone and quotes commas, quotes and line breaks', () => {
    expect(csvField('Cel')).toBe('Cel');
    expect(csvField('[ppm]')).toBe('[ppm]');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(null)).toBe('');
  });

  it('ends rows with CRLF', () => {
    expect(csvRow(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('writes a header and one row per point with RFC 3339 UTC times, empty cells for gaps', async () => {
    const text = await collect(
      encodeSeriesCsv(
        chunks({
          name: 'reading',
          tags: TAGS,
          columns: ['time', 'value', 'qc'],
          values: [
            [Date.UTC(2026, 10, 27, 8), 11.5, 1],
            [Date.UTC(2026, 10, 27, 8, 5), null, null],
          ],
        }),
      ),
    );
    expect(text).toBe(
      'time,station,gateway,sensor,quantity,unit,value,qc\r\n' +
        '2026-11-27T08:00:00.000Z,jinfo,pi-1,cave-t,temperature,Cel,11.5,1\r\n' +
        '2026-11-27T08:05:00.000Z,jinfo,pi-1,cave-t,temperature,Cel,,\r\n',
    );
  });
});
