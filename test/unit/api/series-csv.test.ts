import { describe, expect, it } from 'vitest';
import { encodeSeriesCsv } from '../../../api/routes/series/series-csv.js';
import { streamFailure } from '../../../api/routes/series/stream-failure.js';
import type { BodyPart } from '../../../api/views/byte-text.js';
import { InfluxError, type QuerySeries } from '../../../influx/index.js';

async function* chunks(...series: QuerySeries[]): AsyncGenerator<QuerySeries> {
  yield* series;
}

async function collect(source: AsyncIterable<BodyPart>): Promise<string> {
  let text = '';
  for await (const part of source) text += part.toString();
  return text;
}

const TAGS = { station: 'jinfo', gateway: 'pi-1', sensor: 'cave-t', quantity: 'temperature', unit: 'Cel' };

describe('CSV encoding', () => {
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
        streamFailure,
      ),
    );
    expect(text).toBe(
      'time,station,gateway,sensor,quantity,unit,value,qc\r\n' +
        '2026-11-27T08:00:00.000Z,jinfo,pi-1,cave-t,temperature,Cel,11.5,1\r\n' +
        '2026-11-27T08:05:00.000Z,jinfo,pi-1,cave-t,temperature,Cel,,\r\n',
    );
  });

  it('defuses formulas in text cells and keeps negative values as numbers', async () => {
    const text = await collect(
      encodeSeriesCsv(
        chunks({
          name: 'reading',
          tags: { ...TAGS, gateway: '@pi', unit: '=cmd|"/C calc"!A0' },
          columns: ['time', 'value', 'qc'],
          values: [[Date.UTC(2026, 10, 27, 8), -3.25, 1]],
        }),
        streamFailure,
      ),
    );
    expect(text.split('\r\n')[1]).toBe(
      `2026-11-27T08:00:00.000Z,jinfo,"'@pi",cave-t,temperature,"'=cmd|""/C calc""!A0",-3.25,1`,
    );
  });

  it('ends a stream that fails midway with a "# error:" line after the rows so far', async () => {
    async function* failing(): AsyncGenerator<QuerySeries> {
      yield {
        name: 'reading',
        tags: TAGS,
        columns: ['time', 'value', 'qc'],
        values: [[Date.UTC(2026, 10, 27, 8), 1, 1]],
      };
      throw new InfluxError('INFLUX_UNREACHABLE', 'InfluxDB at http://db broke off', true);
    }
    const lines = (await collect(encodeSeriesCsv(failing(), streamFailure))).split('\r\n');
    expect(lines.slice(1)).toEqual([
      '2026-11-27T08:00:00.000Z,jinfo,pi-1,cave-t,temperature,Cel,1,1',
      '# error: INFLUX_UNREACHABLE the response is incomplete: the database is unreachable or overloaded; try again later',
      '',
    ]);
  });
});
