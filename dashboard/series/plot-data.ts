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

/** What a drawn plot holds, for the page's figures and for the browser tests to compare with the API. */
export interface DrawnPlot {
  station: string;
  sensor: string;
  quantity: string;
  unit: string;
  /** [x seconds, y] as plotted, gap breaks included (as null). */
  data: [number[], (number | null)[]];
  gaps: [number, number][];
  drawMs: number;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** Gaps the API could not report: without an announced interval, more than 3 typical steps apart. */
function inferredGaps(x: readonly number[]): [number, number][] {
  const steps = x.slice(1).map((t, i) => t - (x[i] as number));
  const typical = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)];
  if (typical === undefined || typical <= 0) return [];
  return steps.flatMap((step, i) =>
    step > 3 * typical ? [[x[i] as number, x[i + 1] as number] as [number, number]] : [],
  );
}

/**
 * Raw points: the API's `gaps` ([last point before, first point after]), or where it has no interval
 * to judge by, gaps found here the same way. A null just after the point before breaks the line.
 */
function rawGaps(series: Series): [number, number][] {
  if (series.intervalMs !== null && series.gaps !== undefined) {
    return series.gaps.map(([before, after]) => [seconds(before), seconds(after)]);
  }
  return inferredGaps(series.points.map((point) => seconds(point.time)));
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

/**
 * The API's series as uPlot wants it: aligned arrays, gaps as breaks and shaded spans, flags as
 * markers. `raw`: the document has no `every`; windowed series carry empty windows as null values,
 * which break the line already.
 */
export function plotData(series: Series, raw: boolean): PlotData {
  const spans = raw ? rawGaps(series) : [];
  const breaks = new Set(spans.map(([before]) => before));
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
  return { x, y, flagged, gaps: raw ? spans : nullRuns(x, y), points: series.points.length };
}
