import { describe, expect, it } from 'vitest';
import {
  type CompletenessSelection,
  readingTimesQuery,
  receivedCountQuery,
  sensorPresenceQuery,
  sequenceBaselineQuery,
  sequenceTotalsQuery,
} from '../../../api/queries/completeness-query.js';

const FROM = Date.UTC(2026, 10, 27);
const TO = Date.UTC(2026, 10, 29);
const STATION: CompletenessSelection = { station: 'jinfo', fromMs: FROM, toMs: TO };
const RANGE = `time >= ${FROM}ms AND time < ${TO}ms`;
const LAST_TOTALS =
  'last("messages") AS "messages", last("duplicates") AS "duplicates", last("late") AS "late"';

describe('completeness query builder', () => {
  it('counts readings per window and sensor row, an empty window as 0', () => {
    expect(receivedCountQuery({ ...STATION, sensor: 'co2-1' }, '1d')).toBe(
      `SELECT count("value") AS "received" FROM "reading" WHERE "station" = 'jinfo' AND "sensor" = 'co2-1' ` +
        `AND ${RANGE} GROUP BY time(1d), "gateway", "sensor", "quantity" fill(0)`,
    );
  });

  it('counts over the whole range without "every"', () => {
    expect(receivedCountQuery(STATION, undefined)).toBe(
      `SELECT count("value") AS "received" FROM "reading" WHERE "station" = 'jinfo' AND ${RANGE} ` +
        'GROUP BY "gateway", "sensor", "quantity"',
    );
  });

  it('finds the sensor rows with one point each and scans reading times per row', () => {
    expect(sensorPresenceQuery(STATION)).toBe(
      `SELECT "value" FROM "reading" WHERE "station" = 'jinfo' AND ${RANGE} GROUP BY "gateway", "sensor", "quantity" LIMIT 1`,
    );
    expect(readingTimesQuery(STATION)).toBe(
      `SELECT "value" FROM "reading" WHERE "station" = 'jinfo' AND ${RANGE} GROUP BY "gateway", "sensor", "quantity"`,
    );
  });

  it('reads the last running totals per window and the last before the range, without a sensor tag', () => {
    const selection = { ...STATION, gateway: 'pi-1', sensor: 'co2-1' };
    expect(sequenceTotalsQuery(selection, '1h')).toBe(
      `SELECT ${LAST_TOTALS} FROM "gateway_sequence" WHERE "station" = 'jinfo' AND "gateway" = 'pi-1' ` +
        `AND ${RANGE} GROUP BY time(1h), "gateway" fill(none)`,
    );
    expect(sequenceBaselineQuery(selection)).toBe(
      `SELECT ${LAST_TOTALS} FROM "gateway_sequence" WHERE "station" = 'jinfo' AND "gateway" = 'pi-1' ` +
        `AND time < ${FROM}ms GROUP BY "gateway"`,
    );
  });

  it('escapes tag values and refuses a window outside the closed pattern', () => {
    expect(readingTimesQuery({ ...STATION, station: "a'b\\" })).toContain(`"station" = 'a\\'b\\\\'`);
    expect(() => receivedCountQuery(STATION, '1d; DROP DATABASE x')).toThrow(RangeError);
  });
});
