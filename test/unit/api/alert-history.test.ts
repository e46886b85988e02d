import { describe, expect, it } from 'vitest';
import type { PageCursor } from '../../../api/params/page-cursor.js';
import { formatCursor, parseCursor } from '../../../api/params/page-cursor.js';
import { alertHistoryQuery } from '../../../api/queries/alert-history-query.js';
import { historyPage } from '../../../api/routes/alerts/history-page.js';
import { HistoryQuerySchema, nextHistoryUrl } from '../../../api/routes/alerts/history-params.js';
import { type HistoryRow, historyRows } from '../../../api/routes/alerts/history-rows.js';

const T0 = Date.UTC(2026, 10, 27, 8);

describe('alertHistoryQuery', () => {
  it('reads the four measurements newest first, filtered, with room for the skipped rows and one more', () => {
    const query = alertHistoryQuery({
      limit: 10,
      station: 'jinfo',
      rule: 'co2-high',
      startMs: T0,
      endMs: T0 + 1000,
      cursor: { atMs: T0 + 500, skip: 2 },
    });
    const statements = query.split('; ');
    expect(statements.map((s) => /FROM "(\w+)"/.exec(s)?.[1])).toEqual([
      'alert_event',
      'alert_ack',
      'alert_silence',
      'alert_delivery',
    ]);
    for (const statement of statements) {
      expect(statement).toContain(
        `WHERE "station" = 'jinfo' AND "rule" = 'co2-high' AND time >= ${T0}ms AND time < ${T0 + 1000}ms AND time < ${T0 + 501}ms ORDER BY time DESC LIMIT 13`,
      );
    }
    expect(statements[1]).toMatch(/^SELECT "station", "rule", "since", "by", "comment" FROM "alert_ack"/);
  });

  it('quotes filter values even though the route admits slugs only', () => {
    const query = alertHistoryQuery({ limit: 1, station: "x' OR 1=1 --" });
    expect(query).toContain(`"station" = 'x\\' OR 1=1 --'`);
  });

  it('refuses a limit or skip that is not a whole number', () => {
    expect(() => alertHistoryQuery({ limit: 0 })).toThrow(RangeError);
    expect(() => alertHistoryQuery({ limit: 1, cursor: { atMs: T0, skip: 1.5 } })).toThrow(RangeError);
  });
});

describe('HistoryQuerySchema', () => {
  it('refuses station and rule that are not slugs, a limit past 200, a foreign cursor, start after end', () => {
    for (const query of [
      { station: 'Jinfo' },
      { rule: 'a/b' },
      { rule: '+' },
      { limit: '201' },
      { cursor: 'abc' },
      { cursor: '2150-01-01T00:00:00.000Z~1' },
      // Each statement would read limit + skip + 1 rows: the whole history for one request.
      { cursor: '2099-12-31T00:00:00.000Z~999999999' },
      { start: 'now', end: '-1h' },
      { other: 'x' },
    ]) {
      expect(HistoryQuerySchema.safeParse(query).success, JSON.stringify(query)).toBe(false);
    }
  });

  it('keeps the filters in the next URL, with relative times resolved', () => {
    const selection = HistoryQuerySchema.parse({
      station: 'jinfo',
      start: '2026-11-27T08:00:00Z',
      limit: '5',
    });
    expect(nextHistoryUrl(selection, { atMs: T0 + 1, skip: 2 })).toBe(
      '/v1/alerts/history?limit=5&station=jinfo&start=2026-11-27T08%3A00%3A00.000Z&cursor=2026-11-27T08%3A00%3A00.001Z%7E2',
    );
    expect(parseCursor(formatCursor({ atMs: T0 + 1, skip: 2 }))).toEqual({ atMs: T0 + 1, skip: 2 });
  });
});

describe('historyRows', () => {
  it('maps each measurement to its entry type and skips rows that fit none', () => {
    const rows = [
      ...historyRows({
        name: 'alert_event',
        columns: [
          'time',
          'station',
          'rule',
          'state',
          'severity',
          'kind',
          'message',
          'gateway',
          'sensor',
          'value',
          'threshold',
        ],
        values: [
          [
            T0,
            'jinfo',
            'co2-high',
            'firing',
            'warning',
            'threshold',
            'co2 5200 above 5000',
            'gw-1',
            'co2-1',
            5200,
            5000,
          ],
          [T0 + 9, 'jinfo', 'co2-high', 'clear', 'warning', 'threshold', 'back', null, null, null, null],
          [T0 + 10, 'jinfo', 'co2-high', 'weird', 'warning', null, 'x', null, null, null, null],
        ],
      }),
      ...historyRows({
        name: 'alert_ack',
        columns: ['time', 'station', 'rule', 'since', 'by', 'comment'],
        values: [[T0 + 1, 'jinfo', 'co2-high', T0, 'ana', null]],
      }),
      ...historyRows({
        name: 'alert_silence',
        columns: ['time', 'station', 'rule', 'until', 'by', 'comment', 'lifted'],
        values: [
          [T0 + 2, 'jinfo', 'co2-high', T0 + 3_600_000, 'li', 'pump', false],
          [T0 + 3, 'jinfo', 'co2-high', null, null, null, true],
        ],
      }),
      ...historyRows({
        name: 'alert_delivery',
        columns: [
          'time',
          'station',
          'rule',
          'channel',
          'outcome',
          'id',
          'subscriber',
          'reason',
          'error',
          'attempt',
          'since',
        ],
        values: [
          [T0 + 4, 'jinfo', 'co2-high', 'email', 'failed', 'n-1', 'night', 'firing', 'smtp 550', 2, T0],
        ],
      }),
      ...historyRows({ name: 'reading', columns: ['time'], values: [[T0]] }),
    ];
    expect(rows.map((row) => row.entry)).toEqual([
      {
        time: '2026-11-27T08:00:00.000Z',
        station: 'jinfo',
        rule: 'co2-high',
        type: 'fire',
        severity: 'warning',
        kind: 'threshold',
        message: 'co2 5200 above 5000',
        gateway: 'gw-1',
        sensor: 'co2-1',
        value: 5200,
        threshold: 5000,
      },
      {
        time: '2026-11-27T08:00:00.009Z',
        station: 'jinfo',
        rule: 'co2-high',
        type: 'clear',
        severity: 'warning',
        kind: 'threshold',
        message: 'back',
      },
      {
        time: '2026-11-27T08:00:00.001Z',
        station: 'jinfo',
        rule: 'co2-high',
        type: 'ack',
        since: '2026-11-27T08:00:00.000Z',
        by: 'ana',
      },
      {
        time: '2026-11-27T08:00:00.002Z',
        station: 'jinfo',
        rule: 'co2-high',
        type: 'silence',
        until: '2026-11-27T09:00:00.000Z',
        by: 'li',
        comment: 'pump',
      },
      { time: '2026-11-27T08:00:00.003Z', station: 'jinfo', rule: 'co2-high', type: 'lift' },
      {
        time: '2026-11-27T08:00:00.004Z',
        station: 'jinfo',
        rule: 'co2-high',
        type: 'delivery',
        id: 'n-1',
        channel: 'email',
        subscriber: 'night',
        reason: 'firing',
        outcome: 'failed',
        error: 'smtp 550',
        attempt: 2,
        since: '2026-11-27T08:00:00.000Z',
      },
    ]);
  });
});

describe('historyPage', () => {
  const row = (
    atMs: number,
    rule: string,
    measurement: HistoryRow['measurement'] = 'alert_ack',
  ): HistoryRow => ({
    atMs,
    measurement,
    entry: { time: new Date(atMs).toISOString(), type: 'ack', station: 'jinfo', rule },
  });
  // Five rows, three of them in one millisecond: a page boundary falls inside it.
  const all = [row(T0 + 2, 'a'), row(T0 + 1, 'c'), row(T0 + 1, 'a'), row(T0 + 1, 'b'), row(T0, 'a')];

  /** What the query would return for a cursor: rows at or before its millisecond, in any order. */
  const fetched = (cursor: PageCursor | undefined) =>
    [...all].reverse().filter((r) => cursor === undefined || r.atMs <= cursor.atMs);

  it('walks every row once, newest first, across a millisecond split between pages', () => {
    const seen: string[] = [];
    let cursor: PageCursor | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = historyPage(fetched(cursor), 2, cursor);
      seen.push(...page.entries.map((e) => `${e.time.slice(20, 23)} ${e.rule}`));
      if (page.next === undefined) break;
      cursor = page.next;
    }
    expect(seen).toEqual(['002 a', '001 a', '001 b', '001 c', '000 a']);
  });

  it('puts a delivery before the event of the same millisecond, and ends with no next', () => {
    const page = historyPage([row(T0, 'a', 'alert_event'), row(T0, 'a', 'alert_delivery')], 5, undefined);
    expect(page.next).toBeUndefined();
    expect(page.entries).toHaveLength(2);
    const sorted = historyPage([row(T0, 'z', 'alert_event'), row(T0, 'a', 'alert_delivery')], 1, undefined);
    expect(sorted.entries[0]?.rule).toBe('a');
    expect(sorted.next).toEqual({ atMs: T0, skip: 1 });
  });
});
