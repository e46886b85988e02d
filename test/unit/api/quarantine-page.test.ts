import { describe, expect, it } from 'vitest';
import { collectPage } from '../../../api/routes/quarantine/quarantine-page.js';
import type { QuarantineRecord } from '../../../api/routes/quarantine/quarantine-records.js';

const T0 = Date.UTC(2026, 10, 27, 8);

function record(timeMs: number, reason = 'bad'): QuarantineRecord {
  return {
    time: new Date(timeMs).toISOString(),
    code: 'PAYLOAD_INVALID',
    station: 'jinfo',
    gateway: 'pi-1',
    topic: 'fs/v1/jinfo/pi-1/readings',
    reason,
    reasonTruncated: false,
    payload: '{}',
    payloadTruncated: false,
    bytes: 2,
  };
}

/** Counts what the page pulls, to show it stops reading once full. */
function source(records: readonly QuarantineRecord[]) {
  const pulled = { count: 0 };
  async function* generate() {
    for (const r of records) {
      pulled.count++;
      yield r;
    }
  }
  return { records: generate(), pulled };
}

const options = { limit: 2, budgetBytes: 1024 * 1024, cursor: undefined };

describe('collectPage', () => {
  it('ends after the last record without a cursor', async () => {
    const page = await collectPage(source([record(T0 + 1), record(T0)]).records, options);
    expect(page.records).toHaveLength(2);
    expect(page.next).toBeUndefined();
  });

  it('stops at the limit, reading one record more, with a cursor after the last one shown', async () => {
    const { records, pulled } = source([record(T0 + 3), record(T0 + 2), record(T0 + 1), record(T0)]);
    const page = await collectPage(records, options);
    expect(page.records.map((r) => r.time)).toEqual([record(T0 + 3).time, record(T0 + 2).time]);
    expect(page.next).toEqual({ atMs: T0 + 2, skip: 1 });
    expect(pulled.count).toBe(3);
  });

  it('stops before the record that would pass the byte budget, but always takes one', async () => {
    const big = 'x'.repeat(600);
    const page = await collectPage(source([record(T0 + 2, big), record(T0 + 1, big)]).records, {
      ...options,
      budgetBytes: 1000,
    });
    expect(page.records).toHaveLength(1);
    expect(page.next).toEqual({ atMs: T0 + 2, skip: 1 });
    const tiny = await collectPage(source([record(T0 + 2, big)]).records, { ...options, budgetBytes: 10 });
    expect(tiny.records).toHaveLength(1);
  });

  it('counts the records of a shared millisecond across pages', async () => {
    const sameMs = [record(T0), record(T0), record(T0)];
    const first = await collectPage(source(sameMs).records, options);
    expect(first.next).toEqual({ atMs: T0, skip: 2 });
    const second = await collectPage(source([record(T0), record(T0)]).records, {
      ...options,
      limit: 1,
      cursor: first.next,
    });
    expect(second.next).toEqual({ atMs: T0, skip: 3 });
  });
});
