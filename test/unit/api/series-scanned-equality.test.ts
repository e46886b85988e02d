import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RawPage } from '../../../api/routes/series/raw-page.js';
import { encodeSeriesCsv } from '../../../api/routes/series/series-csv.js';
import { encodeSeriesJson } from '../../../api/routes/series/series-json.js';
import { streamFailure } from '../../../api/routes/series/stream-failure.js';
import type { BodyPart } from '../../../api/views/byte-text.js';
import { type QuerySeries, rowTextsOf } from '../../../influx/index.js';
import { seriesOfLine } from '../../../influx/query-response.js';
import { responseLine } from '../influx/response-lines.js';

async function text(source: AsyncIterable<BodyPart>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  return Buffer.concat(parts).toString('utf8');
}

/** The body, or the error it ended with (a time past what Date takes fails both alike). */
async function settled(source: AsyncIterable<BodyPart>): Promise<string> {
  try {
    return await text(source);
  } catch (error) {
    return `failed: ${String(error)}`;
  }
}

async function* from(chunks: readonly QuerySeries[]): AsyncGenerator<QuerySeries> {
  yield* chunks;
}

/** The lines' series as the scanner reads them (lines it refuses or that fail are left out). */
function scannedSeries(lines: readonly string[]): QuerySeries[] {
  return lines.flatMap((line) => {
    try {
      return seriesOfLine(line, 'q');
    } catch {
      return [];
    }
  });
}

/** The same series as plain parsed objects: a copy has no row texts, so encoders read its values. */
function parsedSeries(series: readonly QuerySeries[]): QuerySeries[] {
  return series.map((one) => {
    const copy = { ...one };
    if (rowTextsOf(copy) !== undefined) throw new Error('a copy kept its row texts');
    return copy;
  });
}

const lines = fc.array(responseLine, { minLength: 1, maxLength: 4 });
const intervals = fc.constantFrom<number | undefined>(undefined, 60_000, 300_000, 1);
const HEADER = { station: 'jinfo', from: 'a', to: 'b', every: null, fn: null };

describe('series encoders over scanned rows against the same rows parsed', () => {
  it('write the same JSON byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(lines, intervals, async (input, interval) => {
        const series = scannedSeries(input);
        const encode = (chunks: readonly QuerySeries[]) =>
          settled(
            encodeSeriesJson(
              from(chunks),
              HEADER,
              () => interval,
              streamFailure,
              () => ({ next: null }),
            ),
          );
        expect(await encode(series)).toBe(await encode(parsedSeries(series)));
      }),
      { numRuns: 1500 },
    );
  });

  it('write the same CSV byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(lines, async (input) => {
        const series = scannedSeries(input);
        const encode = (chunks: readonly QuerySeries[]) =>
          settled(encodeSeriesCsv(from(chunks), streamFailure));
        expect(await encode(series)).toBe(await encode(parsedSeries(series)));
      }),
      { numRuns: 1500 },
    );
  });

  it('cut a page at the same row, with the same cursor', async () => {
    await fc.assert(
      fc.asyncProperty(lines, fc.integer({ min: 1, max: 30 }), async (input, limit) => {
        const series = scannedSeries(input);
        const page = async (chunks: readonly QuerySeries[]) => {
          const tags = { station: 's', gateway: 'g', sensor: 'x', quantity: 'q', unit: 'u' };
          const entry = { key: 'k', tags };
          const raw = new RawPage(() => from(chunks), [{ entry, afterMs: undefined }], limit);
          const body = await settled(encodeSeriesJson(raw.chunks(), HEADER, () => undefined, streamFailure));
          return { body, next: raw.next };
        };
        expect(await page(series)).toEqual(await page(parsedSeries(series)));
      }),
      { numRuns: 1000 },
    );
  });
});
