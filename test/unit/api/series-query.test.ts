import { describe, expect, it } from 'vitest';
import { latestQuery } from '../../../api/queries/latest-query.js';
import { quarantineQuery } from '../../../api/queries/quarantine-query.js';
import {
  aggregatedSeriesQuery,
  pointCountQuery,
  rawSeriesQuery,
  type SeriesSelection,
  seriesPresenceQuery,
} from '../../../api/queries/series-query.js';
import { SeriesQuerySchema, windowsIn } from '../../../api/routes/series/series-params.js';

const FROM = Date.UTC(2026, 10, 27, 0);
const TO = Date.UTC(2026, 10, 27, 6);
const BY_SENSOR: SeriesSelection = { station: 'jinfo', sensor: 'cave-co2-1', fromMs: FROM, toMs: TO };
const TAGS = '"station", "gateway", "sensor", "quantity", "unit"';

describe('series query builder', () => {
  it('selects raw points of one sensor, grouped per series, in a half-open range', () => {
    expect(rawSeriesQuery(BY_SENSOR)).toBe(
      `SELECT "value", "qc" FROM "reading" WHERE "station" = 'jinfo' AND "sensor" = 'cave-co2-1' ` +
        `AND time >= ${FROM}ms AND time < ${TO}ms GROUP BY ${TAGS}`,
    );
  });

  it('filters by quantity and gateway instead of sensor', () => {
    const query = rawSeriesQuery({
      station: 'xuefeng',
      gateway: 'pi-2',
      quantity: 'ice-thickness',
      fromMs: FROM,
      toMs: TO,
    });
    expect(query).toContain(
      `WHERE "station" = 'xuefeng' AND "gateway" = 'pi-2' AND "quantity" = 'ice-thickness' AND`,
    );
    expect(query).not.toContain('"sensor" =');
  });

  it('aggregates per window with fill(null), so an empty window is a null, never an interpolation', () => {
    expect(aggregatedSeriesQuery(BY_SENSOR, { every: '5m', fn: 'max' })).toBe(
      `SELECT max("value") AS "value", max("qc") AS "qc" FROM "reading" WHERE "station" = 'jinfo' ` +
        `AND "sensor" = 'cave-co2-1' AND time >= ${FROM}ms AND time < ${TO}ms GROUP BY time(5m), ${TAGS} fill(null)`,
    );
  });

  it('refuses a window outside the closed duration pattern', () => {
    expect(() => aggregatedSeriesQuery(BY_SENSOR, { every: '5m) fill(previous', fn: 'mean' })).toThrow(
      RangeError,
    );
  });

  it('counts raw points over the same selection', () => {
    expect(pointCountQuery(BY_SENSOR)).toBe(
      `SELECT count("value") FROM "reading" WHERE "station" = 'jinfo' AND "sensor" = 'cave-co2-1' ` +
        `AND time >= ${FROM}ms AND time < ${TO}ms`,
    );
  });

  it('still escapes quotes and backslashes should a value bypass the schema', () => {
    const query = rawSeriesQuery({ station: "x' OR '1'='1", sensor: 'a\\', fromMs: FROM, toMs: TO });
    expect(query).toContain(`"station" = 'x\\' OR \\'1\\'=\\'1'`);
    expect(query).toContain(`"sensor" = 'a\\\\'`);
  });

  it('takes the newest point per series for latest, optionally filtered', () => {
    expect(latestQuery()).toBe(
      `SELECT "value", "qc" FROM "reading" GROUP BY ${TAGS} ORDER BY time DESC LIMIT 1`,
    );
    expect(latestQuery({ station: 'jinfo' })).toContain(`FROM "reading" WHERE "station" = 'jinfo' GROUP BY`);
  });

  it('finds one point per series to count the series an aggregation fills', () => {
    expect(seriesPresenceQuery({ station: 'jinfo', quantity: 'co2', fromMs: FROM, toMs: TO })).toBe(
      `SELECT "value" FROM "reading" WHERE "station" = 'jinfo' AND "quantity" = 'co2' ` +
        `AND time >= ${FROM}ms AND time < ${TO}ms GROUP BY ${TAGS} LIMIT 1`,
    );
  });

  it('lists quarantine newest first', () => {
    expect(quarantineQuery({ limit: 20, fromMs: FROM })).toBe(
      `SELECT "code", "station", "topic", "gateway", "reason", "payload", "bytes" FROM "quarantine" ` +
        `WHERE time >= ${FROM}ms ORDER BY time DESC LIMIT 21`,
    );
    expect(() => quarantineQuery({ limit: 0 })).toThrow(RangeError);
  });

  it('starts a quarantine page at its cursor: that millisecond and older, less what was shown', () => {
    expect(quarantineQuery({ limit: 2, cursor: { atMs: FROM, skip: 3 } })).toMatch(
      new RegExp(`WHERE time < ${FROM + 1}ms ORDER BY time DESC LIMIT 3 OFFSET 3$`),
    );
    expect(quarantineQuery({ limit: 2, toMs: TO, cursor: { atMs: FROM, skip: 0 } })).toMatch(
      new RegExp(`WHERE time < ${TO}ms AND time < ${FROM + 1}ms ORDER BY time DESC LIMIT 3$`),
    );
    expect(() => quarantineQuery({ limit: 2, cursor: { atMs: FROM, skip: -1 } })).toThrow(RangeError);
  });
});

describe('series parameters', () => {
  const parse = (query: Record<string, string>) => SeriesQuerySchema.safeParse(query);
  const pathOf = (query: Record<string, string>) => {
    const result = parse(query);
    return result.success ? undefined : result.error.issues[0]?.path.join('.');
  };

  it('defaults to the last 24 h, raw', () => {
    const result = parse({ station: 'jinfo', sensor: 'cave-co2-1' });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.selection.toMs - result.data.selection.fromMs).toBe(86_400_000);
    expect(result.data.aggregation).toBeUndefined();
  });

  it('defaults fn to mean when every is given', () => {
    const result = parse({ station: 'jinfo', quantity: 'co2', every: '1h' });
    expect(result.success && result.data.aggregation).toEqual({ every: '1h', fn: 'mean' });
  });

  it.each([
    [{ station: 'jinfo' }, 'sensor'],
    [{ station: 'jinfo', sensor: 's', fn: 'max' }, 'fn'],
    [{ station: 'jinfo', sensor: 's', from: 'now', to: '-1h' }, 'from'],
    [{ station: 'jinfo', sensor: 's', to: 'tomorrow' }, 'to'],
    [{ station: 'jinfo', sensor: 's', every: '5 minutes' }, 'every'],
    [{ station: 'jinfo', sensor: 's', every: '1s', from: '-30d' }, 'every'],
    [{ station: 'jinfo', sensor: 's', every: '5m', fn: 'median' }, 'fn'],
    [{ station: 'jinfo', sensor: 's', format: 'xml' }, 'format'],
  ])('refuses %j naming %s', (query, parameter) => {
    expect(pathOf(query)).toBe(parameter);
  });

  it.each([
    ["jinfo' OR 1=1 --", 'station'],
    ['jinfo\\', 'station'],
    ['jinfo;DROP DATABASE fieldstation', 'station'],
    ['/.*/', 'station'],
    ['JINFO', 'station'],
  ])('refuses the injection attempt %j in %s before any query is built', (station, parameter) => {
    expect(pathOf({ station, sensor: 'cave-co2-1' })).toBe(parameter);
  });

  it.each(["co2' OR ''='", 's"; SELECT * FROM "quarantine', '/^c/', 'a\\\\b'])(
    'refuses the sensor %j',
    (sensor) => {
      expect(pathOf({ station: 'jinfo', sensor })).toBe('sensor');
    },
  );
});

describe('windowsIn', () => {
  it('counts the epoch-aligned windows a half-open range touches', () => {
    expect(windowsIn({ fromMs: FROM, toMs: TO }, 3_600_000)).toBe(6);
    expect(windowsIn({ fromMs: FROM + 1, toMs: TO }, 3_600_000)).toBe(6);
    expect(windowsIn({ fromMs: FROM + 1, toMs: TO + 1 }, 3_600_000)).toBe(7);
    expect(windowsIn({ fromMs: FROM, toMs: FROM + 1 }, 1)).toBe(1);
  });
});
