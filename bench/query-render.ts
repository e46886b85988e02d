import type { AnswerCheck } from './query-checks.js';
import type { CaseOutcome } from './query-rounds.js';

/** The goal of issue 10, point 5: the API at most this many times the bare query's time. */
export const RATIO_GOAL = 1.2;

export interface QueryBenchResults {
  influxdb: string;
  points: number;
  rounds: number;
  warmup: number;
  /** Raw points one page holds by default; the bench needs the year in one page. */
  rawPageLimit: number;
  check: AnswerCheck;
  cases: CaseOutcome[];
}

const ms = (value: number) => value.toFixed(1).padStart(8);
const ratio = (value: number, width = 7) => `${value.toFixed(2)}×`.padStart(width);
const size = (bytes: number) => `${(bytes / 1_048_576).toFixed(2)} MiB`.padStart(10);

function row(outcome: CaseOutcome): string {
  const verdict = outcome.ratioP50 <= RATIO_GOAL ? 'ok' : `over ${RATIO_GOAL}×`;
  return [
    outcome.label.padEnd(13),
    ms(outcome.api.p50),
    ms(outcome.api.p90),
    ms(outcome.bare.p50),
    ms(outcome.bare.p90),
    ratio(outcome.ratioP50),
    ratio(outcome.ratioP90),
    ratio(outcome.ratioPaired, 8),
    size(outcome.apiBytes),
    size(outcome.bareBytes),
    `  ${verdict}`,
  ].join(' ');
}

/** The text report: what was measured, then one row per case. */
export function renderQueryBench(results: QueryBenchResults): string {
  const { check } = results;
  return [
    `InfluxDB ${results.influxdb}; ${results.points} raw points (a year of 5-minute readings of one sensor, ` +
      `${check.gaps} gaps found by the API, QC flags 1-4)`,
    `raw requests: one page (default limit ${results.rawPageLimit} holds the year; no "next"); ` +
      `CSV ${check.csvRows} rows; hourly means ${check.hourlyWindows} windows`,
    `${results.rounds} timed rounds after ${results.warmup} warm-up rounds, API and bare interleaved; ` +
      'times in ms from the request to the last byte read',
    '',
    `${'case'.padEnd(13)} ${'API p50'.padStart(8)} ${'API p90'.padStart(8)} ${'bare p50'.padStart(8)} ` +
      `${'bare p90'.padStart(8)} ${'p50 ×'.padStart(7)} ${'p90 ×'.padStart(7)} ${'paired ×'.padStart(8)} ${'API body'.padStart(10)} ` +
      `${'bare body'.padStart(10)}`,
    ...results.cases.map(row),
    '',
    `goal: API/bare at most ${RATIO_GOAL}× (of the medians); paired ×: the median of each round's own API/bare`,
    '',
  ].join('\n');
}
