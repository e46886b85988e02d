import { describe, expect, it } from 'vitest';
import { rawSeriesPageQuery } from '../../../api/queries/series-query.js';
import { canonicalParameters, nextPageUrl } from '../../../api/routes/series/series-links.js';
import { RAW_PAGE_DEFAULT, SeriesQuerySchema } from '../../../api/routes/series/series-params.js';

const FROM = Date.UTC(2026, 10, 27, 0);
const TO = Date.UTC(2026, 10, 27, 6);
const RANGE = { from: new Date(FROM).toISOString(), to: new Date(TO).toISOString() };

describe('raw page query', () => {
  it('reads one series exactly, after the cursor, one point more than fits', () => {
    const series = { station: 'jinfo', gateway: 'pi-1', sensor: 'co2-1', quantity: 'co2', unit: '[ppm]' };
    expect(rawSeriesPageQuery({ ...series, fromMs: FROM, toMs: TO }, FROM + 5, 8)).toBe(
      `SELECT "value", "qc" FROM "reading" WHERE "station" = 'jinfo' AND "gateway" = 'pi-1' AND "sensor" = 'co2-1' ` +
        `AND "quantity" = 'co2' AND "unit" = '[ppm]' AND time > ${FROM + 5}ms AND time < ${TO}ms ` +
        'GROUP BY "station", "gateway", "sensor", "quantity", "unit" LIMIT 8',
    );
  });

  it('quotes every sensor of a repeated sensor= and a stored unit', () => {
    const query = rawSeriesPageQuery(
      { station: 'jinfo', sensors: ["a' OR '1'='1", 'b'], unit: "x'y", fromMs: FROM, toMs: TO },
      undefined,
      1,
    );
    expect(query).toContain(`("sensor" = 'a\\' OR \\'1\\'=\\'1' OR "sensor" = 'b') AND "unit" = 'x\\'y'`);
  });
});

describe('/v1/series export parameters', () => {
  it('takes a repeated sensor as several sensors, one as before', () => {
    const several = SeriesQuerySchema.parse({ station: 'jinfo', sensor: ['a', 'b', 'a'], ...RANGE });
    expect(several.selection).toMatchObject({ sensors: ['a', 'b'] });
    expect(several.selection.sensor).toBeUndefined();
    expect(SeriesQuerySchema.parse({ station: 'jinfo', sensor: 'a', ...RANGE }).selection).toMatchObject({
      sensor: 'a',
    });
  });

  it('pages raw requests by default, keeps limit and cursor away from windows, and wide away from raw', () => {
    expect(SeriesQuerySchema.parse({ station: 'jinfo', sensor: 'a', ...RANGE }).paging).toEqual({
      limit: RAW_PAGE_DEFAULT,
      cursor: undefined,
    });
    const issues = (query: Record<string, unknown>) =>
      SeriesQuerySchema.safeParse({ station: 'jinfo', sensor: 'a', ...RANGE, ...query }).error?.issues.map(
        (i) => i.path[0],
      );
    expect(issues({ every: '1m', limit: '10' })).toEqual(['limit']);
    expect(issues({ every: '1m', cursor: 'x.y' })).toEqual(['cursor']);
    expect(issues({ layout: 'wide' })).toEqual(['layout']);
    expect(issues({ limit: '0' })).toEqual(['limit']);
    expect(issues({ limit: '1000001' })).toEqual(['limit']);
  });

  it('makes from and to absolute in the provenance query and the next URL, whose cursor parses back', () => {
    const request = SeriesQuerySchema.parse({
      station: 'jinfo',
      sensor: ['a', 'b'],
      from: '-1h',
      limit: '5',
      format: 'csv',
    });
    const params = canonicalParameters(request);
    expect(params.getAll('sensor')).toEqual(['a', 'b']);
    expect(params.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const tags = { station: 'jinfo', gateway: 'pi-1', sensor: 'b', quantity: 'co2', unit: '[ppm]' };
    const next = new URL(nextPageUrl(request, { tags, timeMs: request.selection.toMs - 1 }), 'http://x');
    expect(next.searchParams.get('format')).toBe('csv');
    // As Fastify's query parser gives it: a repeated key as an array.
    const again = SeriesQuerySchema.parse({
      ...Object.fromEntries(next.searchParams.entries()),
      sensor: next.searchParams.getAll('sensor'),
    });
    expect(again.paging?.cursor).toEqual({ tags, timeMs: request.selection.toMs - 1 });
  });
});
