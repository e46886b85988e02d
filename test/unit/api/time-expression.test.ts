import { describe, expect, it } from 'vitest';
import { parseTimeExpression, windowMs } from '../../../api/params/time-expression.js';
import { resolveTimeRange } from '../../../api/params/time-range.js';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);

describe('parseTimeExpression', () => {
  it('resolves now', () => {
    expect(parseTimeExpression('now', NOW)).toBe(NOW);
  });

  it.each([
    ['-30m', 30 * 60_000],
    ['-6h', 6 * 3_600_000],
    ['-7d', 7 * 86_400_000],
    ['-2w', 14 * 86_400_000],
    ['-90s', 90_000],
    ['-500ms', 500],
  ])('resolves %s relative to now', (text, back) => {
    expect(parseTimeExpression(text, NOW)).toBe(NOW - back);
  });

  it('parses RFC 3339 with Z or an offset', () => {
    expect(parseTimeExpression('2026-11-27T08:00:00Z', NOW)).toBe(Date.UTC(2026, 10, 27, 8));
    expect(parseTimeExpression('2026-11-27T16:00:00.250+08:00', NOW)).toBe(
      Date.UTC(2026, 10, 27, 8, 0, 0, 250),
    );
  });

  it.each([
    '',
    '6h',
    '+6h',
    '-0h',
    '-6y',
    '-6 h',
    'yesterday',
    '2026-11-27',
    '2026-11-27T08:00:00',
    '1764230400000',
    "now'; DROP DATABASE x",
    '-999999999w',
    '1969-12-31T23:59:59Z',
    '2100-01-01T00:00:01Z',
  ])('refuses %j', (text) => {
    expect(parseTimeExpression(text, NOW)).toBeUndefined();
  });
});

describe('windowMs', () => {
  it('reads windows and refuses anything else', () => {
    expect(windowMs('5m')).toBe(300_000);
    expect(windowMs('1d')).toBe(86_400_000);
    expect(windowMs('0m')).toBeUndefined();
    expect(windowMs('5m;')).toBeUndefined();
    expect(windowMs('366d')).toBe(366 * 86_400_000);
    expect(windowMs('367d')).toBeUndefined();
    expect(windowMs('999999999w')).toBeUndefined();
  });
});

describe('resolveTimeRange', () => {
  it('resolves both ends against one now', () => {
    expect(resolveTimeRange('-1h', 'now', NOW)).toEqual({
      ok: true,
      range: { fromMs: NOW - 3_600_000, toMs: NOW },
    });
  });

  it('names the parameter at fault', () => {
    expect(resolveTimeRange('soon', 'now', NOW)).toMatchObject({ ok: false, parameter: 'from' });
    expect(resolveTimeRange('-1h', 'later', NOW)).toMatchObject({ ok: false, parameter: 'to' });
    expect(resolveTimeRange('now', '-1h', NOW)).toMatchObject({
      ok: false,
      parameter: 'from',
      message: /before "to"/,
    });
    expect(resolveTimeRange('now', 'now', NOW)).toMatchObject({ ok: false, parameter: 'from' });
  });
});
