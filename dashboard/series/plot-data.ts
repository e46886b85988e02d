import type { Series } from '../api-types.js';

/** QARTOD flags drawn as markers over the line: what a researcher must not take at face value. */
export const MARKED_FLAGS = [
  { qc: 3, label: 'suspect' },
  { qc: 4, label: 'fail' },
] as const;

export interface PlotData {
  /** Seconds since the epoch, ascending (uPlot's time scale). */
  x: number[];
  y: (number | null)[];
  /** One array per MARKED_FLAGS entry: the value where the point carries that flag, else null. */
  flagged: (number | null)[][];
  /** Spans without data, in seconds, shaded on the plot. */
  gaps: [number, number][];
  /** Points the API returned (the break markers inserted at gaps not counted). */
  points: number;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/**
 * A raw series' `gaps` are [last point before, first point after]: a null between the two breaks the
 * line there. Windowed series carry their empty windows as null values, which break it already.
 */
function gapBreaks(series: Series): Set<number> {
  return new Set((series.gaps ?? []).map(([before]) => seconds(before)));
}

/** Runs of null values (empty windows), as spans from the last value before to the first after. */
function nullRuns(x: readonly number[], y: readonly (number | null)[]): [number, number][] {
  const runs: [number, number][] = [];
  let start: number | undefined;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === null) {
      start ??= i === 0 ? (x[0] as number) : (x[i - 1] as number);
    } else if (start !== undefined) {
      runs.push([start, x[i] as number]);
      start = undefined;
    }
  }
  if (start !== undefined && x.length > 0) runs.push([start, x[x.length - 1] as number]);
  return runs;
}

/** The API's series as uPlot wants it: aligned arrays, gaps as breaks and spans, flags as markers. */
export function plotData(series: Series): PlotData {
  const breaks = gapBreaks(series);
  const x: number[] = [];
  const y: (number | null)[] = [];
  const qc: (number | null)[] = [];
  for (const point of series.points) {
    const t = seconds(point.time);
    x.push(t);
    y.push(point.value);
    qc.push(point.qc);
    if (breaks.has(t)) {
      x.push(t + 1e-3);
      y.push(null);
      qc.push(null);
    }
  }
  const flagged = MARKED_FLAGS.map(({ qc: flag }) => y.map((value, i) => (qc[i] === flag ? value : null)));
  const gaps: [number, number][] =
    series.gaps === undefined
      ? nullRuns(x, y)
      : series.gaps.map(([before, after]) => [seconds(before), seconds(after)]);
  return { x, y, flagged, gaps, points: series.points.length };
}
