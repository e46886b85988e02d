import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../../api/app.js';
import { encodePoint } from '../../../influx/index.js';
import { readyApiApp } from '../../harness/api-app.js';
import { asAdmin } from '../../harness/api-keys.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { iso, T0 } from './seed.js';

const MiB = 1024 * 1024;
// Control characters take six bytes each in JSON (\u0001), so cut fields still weigh ~30 KiB a record.
const heavy = (chars: number) => '\u0001'.repeat(chars);

const HUGE = 3;
const HEAVY = 60;
const LIGHT = 250;
/** The newest records: the ones kept before the ingest bounded reasons, a megabyte each. */
const hugeAt = (i: number) => T0 + 1000 + i;
const heavyAt = (i: number) => T0 + 900 - i;
const lightAt = (i: number) => T0 + 500 - i;
/** Five records in one millisecond, as the ingest writes a burst: same ms, distinct nanoseconds. */
const TIED_MS = T0 - 100;
const TIED = 5;

let influx: TestInflux;
let app: ApiApp;

function record(code: string, timestampNs: bigint, reason: string, payload: string): string {
  return encodePoint({
    measurement: 'quarantine',
    tags: { code, station: 'jinfo' },
    fields: {
      topic: { str: 'fs/v1/jinfo/pi-1/readings' },
      gateway: { str: 'pi-1' },
      reason: { str: reason },
      payload: { str: payload },
      bytes: { int: payload.length },
    },
    timestamp: timestampNs,
  });
}

const ns = (ms: number, extra = 0) => BigInt(ms) * 1_000_000n + BigInt(extra);

beforeAll(async () => {
  influx = await startTestInflux('fs_api_quarantine');
  const lines = [
    ...Array.from({ length: HUGE }, (_, i) =>
      record('PAYLOAD_INVALID', ns(hugeAt(i)), 'r'.repeat(MiB), '{}'),
    ),
    ...Array.from({ length: HEAVY }, (_, i) =>
      record('PAYLOAD_NOT_JSON', ns(heavyAt(i)), heavy(2000), heavy(5000)),
    ),
    ...Array.from({ length: LIGHT }, (_, i) => record('TOPIC_INVALID', ns(lightAt(i)), 'bad topic', 'x')),
    ...Array.from({ length: TIED }, (_, i) => record(`CODE_${i}`, ns(TIED_MS, i), `tied ${i}`, 'x')),
  ];
  await influx.connection.writer.write(lines, 'ns');
  app = await readyApiApp(influx);
});

afterAll(async () => {
  await app?.close();
  await influx?.stop();
});

interface Page {
  bytes: number;
  records: {
    time: string;
    code: string;
    reason: string;
    reasonTruncated: boolean;
    payloadTruncated: boolean;
  }[];
  next: string | null;
}

async function page(url: string): Promise<Page> {
  const response = await asAdmin(app).inject({ url });
  expect(response.statusCode).toBe(200);
  return { bytes: response.rawPayload.byteLength, ...response.json() };
}

async function walk(url: string): Promise<Page[]> {
  const pages = [await page(url)];
  for (let next = pages[0]?.next; next; next = pages.at(-1)?.next) pages.push(await page(next));
  return pages;
}

describe('GET /v1/quarantine over oversized stored records', () => {
  it('cuts reason and payload, marks them cut, and ends the page at 1 MiB with a cursor', async () => {
    const first = await page('/v1/quarantine?limit=200');
    expect(first.bytes).toBeLessThanOrEqual(MiB + 1024);
    expect(first.records.length).toBeLessThan(HUGE + HEAVY);
    expect(first.next).toMatch(/^\/v1\/quarantine\?limit=200&cursor=/);
    const [huge] = first.records;
    expect(huge).toMatchObject({
      time: iso(hugeAt(HUGE - 1)),
      reasonTruncated: true,
      payloadTruncated: false,
    });
    expect(huge?.reason).toBe('r'.repeat(1024));
    expect(first.records.at(-1)).toMatchObject({ reasonTruncated: true, payloadTruncated: true });
  });

  it('hands out every record exactly once, newest first, following next', async () => {
    const pages = await walk('/v1/quarantine?limit=200');
    for (const p of pages) {
      expect(p.records.length).toBeLessThanOrEqual(200);
      expect(p.bytes).toBeLessThanOrEqual(MiB + 1024);
    }
    const times = pages.flatMap((p) => p.records.map((r) => Date.parse(r.time)));
    expect(times).toHaveLength(HUGE + HEAVY + LIGHT + TIED);
    expect(times.every((t, i) => i === 0 || t <= (times[i - 1] ?? 0))).toBe(true);
    expect(pages.at(-1)?.next).toBeNull();
  });

  it('splits records that share a millisecond across pages without losing or repeating one', async () => {
    const range = `from=${iso(TIED_MS)}&to=${iso(TIED_MS + 1)}`;
    const pages = await walk(`/v1/quarantine?limit=2&${range}`);
    expect(pages.map((p) => p.records.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.records.map((r) => r.code))).toEqual([
      'CODE_4',
      'CODE_3',
      'CODE_2',
      'CODE_1',
      'CODE_0',
    ]);
    const next = new URLSearchParams(pages[0]?.next?.split('?')[1]);
    expect(next.get('from')).toBe(iso(TIED_MS));
    expect(next.get('cursor')).toBe(`${iso(TIED_MS)}~2`);
  });

  it.each([
    ['limit=201', 'limit'],
    ['cursor=yesterday', 'cursor'],
    // Cursors a client might make up: well formed, but outside 1970..2100 (InfluxQL overflowed: 502).
    ['cursor=9999-12-04T19%3A27%3A12.150Z%7E1', 'cursor'],
    ['cursor=1600-01-01T00%3A00%3A00.000Z%7E0', 'cursor'],
  ])('refuses %s with a 400 problem naming %s', async (query, parameter) => {
    const response = await asAdmin(app).inject({ url: `/v1/quarantine?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].parameter).toBe(parameter);
  });
});
