import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../../api/app.js';
import { ProvenanceSchema } from '../../../api/routes/series/provenance.js';
import { SeriesDocumentSchema, WideDocumentSchema } from '../../../api/routes/series/series-schema.js';
import { encodePoint } from '../../../influx/index.js';
import { readyApiApp } from '../../harness/api-app.js';
import { asAdmin } from '../../harness/api-keys.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { iso, MIN, T0 } from './seed.js';

const SENSORS = ['co2-a', 'co2-b', 'co2-c'];
const POINTS = 10;
const RANGE = `from=${iso(T0)}&to=${iso(T0 + POINTS * MIN)}`;

let influx: TestInflux;
let app: ApiApp;

function line(sensor: string, minute: number, value: number, qc = 1): string {
  return encodePoint({
    measurement: 'reading',
    tags: { station: 'jinfo', gateway: 'pi-1', sensor, quantity: 'co2', unit: '[ppm]' },
    fields: { value: { float: value }, qc: { int: qc } },
    timestamp: T0 + minute * MIN,
  });
}

beforeAll(async () => {
  influx = await startTestInflux('fs_api_exports');
  // Three sensors sampled at the same instants, every minute; co2-b is silent in minutes 3 and 4.
  const lines = SENSORS.flatMap((sensor, s) =>
    [...Array(POINTS).keys()]
      .filter((minute) => sensor !== 'co2-b' || (minute !== 3 && minute !== 4))
      .map((minute) => line(sensor, minute, 400 + 10 * s + minute, minute === 7 ? 3 : 1)),
  );
  await influx.connection.writer.write(lines, 'ms');
  app = await readyApiApp(influx);
});

afterAll(async () => {
  await app?.close();
  await influx?.stop();
});

/** What `pandas.read_csv(text, comment='#')` keeps: the lines that do not start with `#`, split on commas. */
function table(csv: string): string[][] {
  return csv
    .split('\r\n')
    .filter((row) => row !== '' && !row.startsWith('#'))
    .map((row) => row.split(','));
}

describe('layout=wide', () => {
  it('gives a CSV of two sensors with one row per window, the gap as empty cells, after a # block', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&sensor=co2-a&sensor=co2-b&${RANGE}&every=1m&layout=wide&format=csv&header=comments`,
    });
    expect(response.statusCode).toBe(200);
    const rows = table(response.body);
    expect(rows[0]).toEqual(['time', 'co2-a co2 [ppm]', 'co2-a co2 qc', 'co2-b co2 [ppm]', 'co2-b co2 qc']);
    expect(rows.slice(1)).toEqual(
      [...Array(POINTS).keys()].map((m) => {
        const qc = m === 7 ? '3' : '1';
        const b = m === 3 || m === 4 ? ['', ''] : [String(410 + m), qc];
        return [iso(T0 + m * MIN), String(400 + m), qc, ...b];
      }),
    );
    const comments = response.body.split('\r\n').filter((row) => row.startsWith('#'));
    expect(comments).toEqual(
      expect.arrayContaining([
        '# station: jinfo',
        expect.stringMatching(/^# query: GET \/v1\/series\?station=jinfo&sensor=co2-a&sensor=co2-b&from=/),
        expect.stringMatching(/^# generated_at: \d{4}-/),
        expect.stringMatching(/^# qc_flags: 1 pass, 2 not evaluated, 3 suspect, 4 fail, 9 missing/),
        '# sensor: co2-b gateway=pi-1 quantity=co2 unit=[ppm] interval_ms=unknown columns="co2-b co2 [ppm]","co2-b co2 qc"',
      ]),
    );
    // The block comes first and nothing follows the rows.
    expect(response.body.startsWith('# fieldstation export\r\n')).toBe(true);
  });

  it('gives JSON columns and rows with null for the gap', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&quantity=co2&${RANGE}&every=1m&fn=max&layout=wide`,
    });
    expect(response.statusCode).toBe(200);
    const doc = WideDocumentSchema.parse(response.json());
    expect(doc.columns).toHaveLength(1 + 2 * SENSORS.length);
    expect(doc.rows).toHaveLength(POINTS);
    expect(doc.rows[3]).toEqual([iso(T0 + 3 * MIN), 403, 1, null, null, 423, 1]);
  });

  it('refuses raw data in the wide layout, pointing at "every"', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&quantity=co2&${RANGE}&layout=wide`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'PARAMETER_INVALID', errors: [{ parameter: 'layout' }] });
    expect(response.json().detail).toMatch(/every/);
  });
});

describe('raw pages', () => {
  const everyPoint = SENSORS.flatMap((sensor) =>
    [...Array(POINTS).keys()]
      .filter((minute) => sensor !== 'co2-b' || (minute !== 3 && minute !== 4))
      .map((minute) => `${sensor}@${iso(T0 + minute * MIN)}`),
  );

  it('returns every point of three sensors sharing timestamps exactly once in JSON pages of 7', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let url: string | null = `/v1/series?station=jinfo&quantity=co2&${RANGE}&limit=7`;
    while (url !== null) {
      const response = await asAdmin(app).inject({ url });
      expect(response.statusCode).toBe(200);
      const page = SeriesDocumentSchema.parse(response.json());
      const points = page.series.flatMap((s) => s.points.map((p) => `${s.sensor}@${p.time}`));
      seen.push(...points);
      sizes.push(points.length);
      url = page.next ?? null;
    }
    expect(seen).toEqual(everyPoint);
    expect(sizes).toEqual([7, 7, 7, 7]);
  });

  it('pages CSV through a trailing # next: line', async () => {
    const seen: string[] = [];
    let url: string | undefined = `/v1/series?station=jinfo&quantity=co2&${RANGE}&limit=5&format=csv`;
    while (url !== undefined) {
      const { statusCode, body }: { statusCode: number; body: string } = await asAdmin(app).inject({ url });
      expect(statusCode).toBe(200);
      const rows = table(body);
      expect(rows[0]).toEqual(['time', 'station', 'gateway', 'sensor', 'quantity', 'unit', 'value', 'qc']);
      seen.push(...rows.slice(1).map((row) => `${row[3]}@${row[0]}`));
      url = /^# next: (.+)$/m.exec(body)?.[1]?.trim();
    }
    expect(seen).toEqual(everyPoint);
  });

  it('refuses a forged cursor and a cursor replayed on another query with a 400 naming "cursor"', async () => {
    const first = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&quantity=co2&${RANGE}&limit=4`,
    });
    const next = SeriesDocumentSchema.parse(first.json()).next;
    expect(next).toEqual(expect.any(String));
    const cursor = new URL(next ?? '', 'http://x').searchParams.get('cursor') ?? '';
    for (const url of [
      `/v1/series?station=jinfo&quantity=co2&${RANGE}&cursor=${cursor.slice(0, -1)}A`,
      `/v1/series?station=jinfo&quantity=co2&${RANGE}&cursor=bogus`,
      `/v1/series?station=jinfo&sensor=co2-a&${RANGE}&cursor=${cursor}`,
    ]) {
      const response = await asAdmin(app).inject({ url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json()).toMatchObject({ code: 'PARAMETER_INVALID', errors: [{ parameter: 'cursor' }] });
    }
  });
});

describe('GET /v1/series/metadata', () => {
  it('answers the provenance of the same query as JSON', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/series/metadata?station=jinfo&sensor=co2-a&sensor=co2-b&${RANGE}&every=1m&layout=wide`,
    });
    expect(response.statusCode).toBe(200);
    const doc = ProvenanceSchema.parse(response.json());
    expect(doc.series.map((s) => [s.sensor, s.unit, s.columns?.value, s.meta])).toEqual([
      ['co2-a', '[ppm]', 'co2-a co2 [ppm]', null],
      ['co2-b', '[ppm]', 'co2-b co2 [ppm]', null],
    ]);
    expect(doc.query.parameters).toMatchObject({ station: 'jinfo', sensor: ['co2-a', 'co2-b'], every: '1m' });
    expect(doc.qcFlags).toContainEqual({ flag: 4, meaning: 'fail' });
  });
});
