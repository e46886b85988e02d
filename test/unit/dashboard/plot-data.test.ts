import { describe, expect, it } from 'vitest';
import type { Series } from '../../../dashboard/api-types.js';
import { plotData } from '../../../dashboard/series/plot-data.js';

const T0 = Date.parse('2026-11-27T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const s = (minutes: number) => (T0 + minutes * 60_000) / 1000;

function series(points: [number, number | null, number | null][], extra: Partial<Series> = {}): Series {
  return {
    station: 'jinfo',
    gateway: 'cave-gw-1',
    sensor: 'cave-co2-1',
    quantity: 'co2',
    unit: '[ppm]',
    intervalMs: 60_000,
    points: points.map(([minute, value, qc]) => ({ time: at(minute), value, qc })),
    ...extra,
  };
}

describe('plotData', () => {
  it("breaks a raw line after the API's gaps and shades them", () => {
    const data = plotData(
      series(
        [
          [0, 1, 1],
          [1, 2, 1],
          [10, 3, 1],
        ],
        { gaps: [[at(1), at(10)]] },
      ),
      true,
    );
    expect(data.x).toEqual([s(0), s(1), s(1) + 1e-3, s(10)]);
    expect(data.y).toEqual([1, 2, null, 3]);
    expect(data.gaps).toEqual([[s(1), s(10)]]);
    expect(data.points).toBe(3);
  });

  it('finds gaps itself where the API had no interval to judge by', () => {
    const points: [number, number, number][] = [0, 5, 10, 15, 60, 65].map((m) => [m, m, 1]);
    const data = plotData(series(points, { intervalMs: null, gaps: [] }), true);
    expect(data.gaps).toEqual([[s(15), s(60)]]);
    expect(data.y.filter((value) => value === null)).toHaveLength(1);
  });

  it('shades runs of empty windows and keeps them as breaks', () => {
    const data = plotData(
      series([
        [0, 1, 1],
        [5, null, null],
        [10, null, null],
        [15, 4, 1],
      ]),
      false,
    );
    expect(data.y).toEqual([1, null, null, 4]);
    expect(data.gaps).toEqual([[s(0), s(15)]]);
  });

  it('marks suspect and failed points apart from the line', () => {
    const data = plotData(
      series([
        [0, 1, 1],
        [1, 2, 3],
        [2, 3, 4],
        [3, 4, 2],
      ]),
      true,
    );
    expect(data.flagged).toEqual([
      [null, 2, null, null],
      [null, null, 3, null],
    ]);
  });
});
