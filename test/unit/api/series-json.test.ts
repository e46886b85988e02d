import { describe, expect, it } from 'vitest';
import { encodeSeriesJson } from '../../../api/routes/series/series-json.js';
import { SeriesDocumentSchema } from '../../../api/routes/series/series-schema.js';
import { streamFailure } from '../../../api/routes/series/stream-failure.js';
import type { BodyPart } from '../../../api/views/byte-text.js';
import { InfluxError, type QuerySeries } from '../../../influx/index.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const MIN = 60_000;
const CO2 = { station: 'jinfo', gateway: 'pi-1', sensor: 'co2-1', quantity: 'co2', unit: '[ppm]' };
const TEMP = { ...CO2, sensor: 't-1', quantity: 'temperature', unit: 'Cel' };

function chunk(tags: Record<string, string>, rows: [number, number | null, number | null][]): QuerySeries {
  return { name: 'reading', tags, columns: ['time', 'value', 'qc'], values: rows };
}

async function* chunks(...series: QuerySeries[]): AsyncGenerator<QuerySeries> {
  yield* series;
}

async function document(source: AsyncIterable<BodyPart>) {
  let text = '';
  for await (const part of source) text += part.toString();
  return SeriesDocumentSchema.parse(JSON.parse(text));
}

const RAW_HEADER = { station: 'jinfo', from: 'a', to: 'b', every: null, fn: null };

describe('streamed series JSON', () => {
  it('joins the chunks of one series and reports gaps of more than three announced intervals', async () => {
    const doc = await document(
      encodeSeriesJson(
        chunks(
          chunk(CO2, [
            [T0, 800, 1],
            [T0 + MIN, 801, 1],
          ]),
          chunk(CO2, [[T0 + 10 * MIN, 805, 3]]),
          chunk(TEMP, [[T0, 11.5, 1]]),
        ),
        RAW_HEADER,
        (tags) => (tags.sensor === 'co2-1' ? MIN : undefined),
        streamFailure,
      ),
    );
    expect(doc.series).toHaveLength(2);
    const [co2, temp] = doc.series;
    expect(co2?.points.map((p) => p.value)).toEqual([800, 801, 805]);
    expect(co2?.intervalMs).toBe(MIN);
    expect(co2?.gaps).toEqual([['2026-11-27T08:01:00.000Z', '2026-11-27T08:10:00.000Z']]);
    expect(temp).toMatchObject({
      sensor: 't-1',
      intervalMs: null,
      points: [{ time: '2026-11-27T08:00:00.000Z' }],
    });
    expect(temp?.gaps).toBeUndefined();
  });

  it('keeps null windows of aggregated series and adds no gap list', async () => {
    const doc = await document(
      encodeSeriesJson(
        chunks(
          chunk(CO2, [
            [T0, 800, 1],
            [T0 + 5 * MIN, null, null],
          ]),
        ),
        { ...RAW_HEADER, every: '5m', fn: 'mean' },
        () => MIN,
        streamFailure,
      ),
    );
    expect(doc.series[0]?.points[1]).toEqual({ time: '2026-11-27T08:05:00.000Z', value: null, qc: null });
    expect(doc.series[0]?.gaps).toBeUndefined();
  });

  it('is a valid document without any series', async () => {
    const doc = await document(encodeSeriesJson(chunks(), RAW_HEADER, () => undefined, streamFailure));
    expect(doc.series).toEqual([]);
  });

  it('ends a stream that fails midway with an error member, still valid JSON', async () => {
    async function* failing(): AsyncGenerator<QuerySeries> {
      yield chunk(CO2, [[T0, 800, 1]]);
      throw new InfluxError('INFLUX_UNREACHABLE', 'InfluxDB at http://db broke off', true);
    }
    const reported: unknown[] = [];
    const doc = await document(
      encodeSeriesJson(
        failing(),
        RAW_HEADER,
        () => MIN,
        (error) => {
          reported.push(error);
          return streamFailure(error);
        },
      ),
    );
    expect(doc.series[0]?.points).toHaveLength(1);
    expect(doc.series[0]?.gaps).toEqual([]);
    expect(doc.error).toEqual({
      code: 'INFLUX_UNREACHABLE',
      detail: 'the response is incomplete: the database is unreachable or overloaded; try again later',
    });
    expect(reported).toEqual([expect.any(InfluxError)]);
  });

  it('ends a stream that fails before any series with an error member too', async () => {
    async function* failing(): AsyncGenerator<QuerySeries> {
      yield* [];
      throw new Error('boom');
    }
    const doc = await document(encodeSeriesJson(failing(), RAW_HEADER, () => undefined, streamFailure));
    expect(doc).toMatchObject({ series: [], error: { code: 'INTERNAL_ERROR' } });
  });
});
