import { describe, expect, it } from 'vitest';
import type { SeriesSelection } from '../../../api/queries/series-query.js';
import { cursorScope, decodeCursor, encodeCursor } from '../../../api/routes/series/series-cursor.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const SELECTION: SeriesSelection = { station: 'jinfo', quantity: 'co2', fromMs: T0, toMs: T0 + 3_600_000 };
const CURSOR = {
  tags: { station: 'jinfo', gateway: 'pi-1', sensor: 'co2-1', quantity: 'co2', unit: '[ppm]' },
  timeMs: T0 + 60_000,
};
const encoded = encodeCursor(CURSOR, cursorScope(SELECTION));

describe('raw page cursors', () => {
  it('round-trips and is opaque (URL-safe, no readable tag values)', () => {
    expect(decodeCursor(encoded, SELECTION)).toEqual({ ok: true, cursor: CURSOR });
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}$/);
    expect(encoded).not.toContain('co2-1');
  });

  it('refuses an edited payload, an edited check and garbage', () => {
    const [payload, check] = encoded.split('.') as [string, string];
    const other = Buffer.from(
      JSON.stringify({ v: 1, s: ['jinfo', 'pi-1', 'co2-9', 'co2', '[ppm]'], t: T0 + 60_000 }),
    ).toString('base64url');
    for (const forged of [
      `${other}.${check}`,
      `${payload}.${check.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
      'abc',
      '',
      'a.b.c',
      `${payload}`,
    ]) {
      const result = decodeCursor(forged, SELECTION);
      expect(result.ok, forged).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/not a cursor this API gave out/);
    }
  });

  it('refuses a cursor of another query (other sensor, other range)', () => {
    expect(decodeCursor(encoded, { ...SELECTION, sensor: 'co2-1' }).ok).toBe(false);
    expect(decodeCursor(encoded, { ...SELECTION, toMs: SELECTION.toMs + 1 }).ok).toBe(false);
    expect(decodeCursor(encoded, { ...SELECTION, sensors: ['a', 'b'] }).ok).toBe(false);
  });

  it('refuses a well-formed cursor outside the range it is bound to', () => {
    const outside = encodeCursor({ ...CURSOR, timeMs: SELECTION.toMs }, cursorScope(SELECTION));
    expect(decodeCursor(outside, SELECTION)).toEqual({
      ok: false,
      message: 'points outside "from" and "to"',
    });
  });
});
