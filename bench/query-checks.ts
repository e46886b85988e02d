import { z } from 'zod';
import type { QueryCase } from './query-cases.js';
import { timedFetch } from './query-rounds.js';
import { YEAR_FROM_MS, YEAR_TO_MS } from './query-year.js';

/** What the bench found in the API's answers before timing them. */
export interface AnswerCheck {
  rawPoints: number;
  gaps: number;
  csvRows: number;
  hourlyWindows: number;
  /** Whether the year came as one page (no `next`), as the timed comparison assumes. */
  onePage: boolean;
}

const RawDocumentSchema = z.object({
  series: z.array(z.object({ points: z.array(z.unknown()), gaps: z.array(z.unknown()).optional() })),
  next: z.string().nullable(),
});

const HOUR_MS = 3_600_000;

/**
 * Fetches each of the API's answers once and checks that it holds the whole year in one page: the
 * raw points written, the CSV rows, one window per hour; throws when not, since the ratios would
 * then compare different work.
 */
export async function checkAnswers(cases: readonly QueryCase[], written: number): Promise<AnswerCheck> {
  const bodyOf = async (key: QueryCase['key']) => {
    const item = cases.find((candidate) => candidate.key === key);
    if (item === undefined) throw new Error(`no case ${key}`);
    return (await timedFetch(item.api)).body.toString('utf8');
  };
  const raw = RawDocumentSchema.parse(JSON.parse(await bodyOf('rawJson')));
  const csv = await bodyOf('rawCsv');
  const hourly = RawDocumentSchema.omit({ next: true }).parse(JSON.parse(await bodyOf('hourlyMean')));
  const check: AnswerCheck = {
    rawPoints: raw.series.reduce((total, series) => total + series.points.length, 0),
    gaps: raw.series.reduce((total, series) => total + (series.gaps?.length ?? 0), 0),
    csvRows: csv.split('\r\n').filter((line) => line !== '' && !line.startsWith('#')).length - 1,
    hourlyWindows: hourly.series.reduce((total, series) => total + series.points.length, 0),
    onePage: raw.next === null && !csv.includes('# next:'),
  };
  const windows = (YEAR_TO_MS - YEAR_FROM_MS) / HOUR_MS;
  const whole =
    check.onePage &&
    check.rawPoints === written &&
    check.csvRows === written &&
    check.hourlyWindows === windows;
  if (!whole) {
    throw new Error(
      `the API did not answer the whole year in one page (${JSON.stringify(check)}, ${written} points written)`,
    );
  }
  return check;
}
