import { z } from 'zod';
import { QcFlag } from '../../../protocol/index.js';
import type { SeriesTags } from '../../queries/series-chunks.js';
import { isoTime } from '../../views/iso-time.js';
import type { WideColumn } from './wide-columns.js';

/** QARTOD flags as `protocol/quality.ts` defines them, with the words a reader of an export needs. */
export const QC_MEANINGS = [
  { flag: QcFlag.pass, meaning: 'pass' },
  { flag: QcFlag.notEvaluated, meaning: 'not evaluated' },
  { flag: QcFlag.suspect, meaning: 'suspect' },
  { flag: QcFlag.fail, meaning: 'fail' },
  { flag: QcFlag.missing, meaning: 'missing' },
] as const;

export const ProvenanceSeriesSchema = z.object({
  station: z.string(),
  gateway: z.string(),
  sensor: z.string(),
  quantity: z.string(),
  unit: z.string().describe('UCUM code, as the gateway sent it'),
  intervalMs: z.number().nullable().describe('sampling interval the gateway announces now, if any'),
  columns: z
    .object({ value: z.string(), qc: z.string() })
    .nullable()
    .describe("layout=wide: the names of this series' value and qc columns"),
  meta: z
    .null()
    .describe(
      "reserved for the sensor's position, make and calibration once the API records them; null for now",
    ),
});

export const ProvenanceSchema = z.object({
  station: z.string(),
  query: z.object({
    route: z.string(),
    parameters: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    url: z.string().describe('the same query with from and to made absolute: it gives the same rows again'),
  }),
  generatedAt: z.string().describe('RFC 3339 UTC'),
  from: z.string(),
  to: z.string(),
  every: z.string().nullable(),
  fn: z.string().nullable(),
  layout: z.enum(['long', 'wide']),
  qcFlags: z.array(z.object({ flag: z.number().int(), meaning: z.string() })),
  series: z.array(ProvenanceSeriesSchema),
});

export type Provenance = z.infer<typeof ProvenanceSchema>;

export interface ProvenanceInput {
  station: string;
  parameters: URLSearchParams;
  generatedAtMs: number;
  fromMs: number;
  toMs: number;
  every: string | null;
  fn: string | null;
  layout: 'long' | 'wide';
  series: readonly SeriesTags[];
  columns: readonly WideColumn[] | undefined;
  intervalOf: (tags: SeriesTags) => number | undefined;
}

function parameterRecord(parameters: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const name of new Set(parameters.keys())) {
    const values = parameters.getAll(name);
    record[name] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return record;
}

/** Everything a published table needs to be read and redone: what, from where, how, and when. */
export function buildProvenance(input: ProvenanceInput): Provenance {
  return {
    station: input.station,
    query: {
      route: 'GET /v1/series',
      parameters: parameterRecord(input.parameters),
      url: `/v1/series?${input.parameters}`,
    },
    generatedAt: isoTime(input.generatedAtMs),
    from: isoTime(input.fromMs),
    to: isoTime(input.toMs),
    every: input.every,
    fn: input.fn,
    layout: input.layout,
    qcFlags: QC_MEANINGS.map(({ flag, meaning }) => ({ flag, meaning })),
    series: input.series.map((tags, i) => {
      const column = input.columns?.[i];
      return {
        ...tags,
        intervalMs: input.intervalOf(tags) ?? null,
        columns: column === undefined ? null : { value: column.value, qc: column.qc },
        meta: null,
      };
    }),
  };
}

// A comment line must stay one line, whatever a stored tag holds.
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ');

/**
 * The CSV header block: `#` lines before the column names, which `pandas.read_csv(comment='#')`
 * and R's `read.csv(comment.char='#')` skip. Each line is `# key: value`, so it greps and splits too.
 */
export function provenanceComments(provenance: Provenance): string {
  const windows =
    provenance.every === null ? 'raw points' : `windows of ${provenance.every}, fn=${provenance.fn}`;
  const lines = [
    'fieldstation export',
    `station: ${provenance.station}`,
    `query: GET ${provenance.query.url}`,
    `range: ${provenance.from} (included) to ${provenance.to} (excluded), ${windows}`,
    `generated_at: ${provenance.generatedAt}`,
    `qc_flags: ${provenance.qcFlags.map(({ flag, meaning }) => `${flag} ${meaning}`).join(', ')}` +
      (provenance.every === null ? '' : '; a window carries its worst flag'),
    provenance.every === null
      ? 'gaps: raw points only; a stretch without rows is a stretch without readings, nothing is filled'
      : 'gaps: an empty value cell is a window without data; nothing is filled or interpolated',
    ...provenance.series.map(
      (s) =>
        `sensor: ${s.sensor} gateway=${s.gateway} quantity=${s.quantity} unit=${s.unit} ` +
        `interval_ms=${s.intervalMs ?? 'unknown'}` +
        (s.columns === null ? '' : ` columns="${s.columns.value}","${s.columns.qc}"`),
    ),
    'sensor_meta: position, make and calibration not yet recorded by the API',
  ];
  return lines.map((line) => `# ${oneLine(line)}\r\n`).join('');
}
