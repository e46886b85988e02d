import { describe, expect, it } from 'vitest';
import { alertHistoryQuery, HISTORY_COLUMNS } from '../../../api/queries/alert-history-query.js';
import { quarantineQuery } from '../../../api/queries/quarantine-query.js';
import { historyRows } from '../../../api/routes/alerts/history-rows.js';
import { quarantineRecords } from '../../../api/routes/quarantine/quarantine-records.js';
import { alertEventLine } from '../../../ingest/alerts/alert-event.js';
import { alertActionLine } from '../../../ingest/pipeline/action-lines.js';
import { quarantineLine } from '../../../ingest/quarantine/quarantine-point.js';
import { buildQuarantineRecord } from '../../../ingest/quarantine/quarantine-record.js';
import type { AlertEvent } from '../../../protocol/index.js';
import { parseLine, rowOf, selectedColumns } from './parse-line.js';

// Each writer of the ingest and the reader of the API that answers for the same measurement: a point
// written by one must come back whole through the other's query columns and decoder.

const T0 = Date.UTC(2026, 10, 27, 8);
const NS = 1n;
const MS = 1_000_000n;

describe('quarantine: ingest writer and API reader', () => {
  it('reads back every field the ingest wrote', () => {
    const record = buildQuarantineRecord({
      receivedAt: T0,
      topic: 'fs/v1/jinfo/gw-1/readings',
      payload: Buffer.from('{"v": 9, "note": "a, b = c"}'),
      code: 'VERSION_UNSUPPORTED',
      reason: 'message version 9 is not supported',
      address: { station: 'jinfo', gateway: 'gw-1' },
    });
    const point = parseLine(quarantineLine(record, BigInt(T0) * MS + 7n));
    const columns = selectedColumns(quarantineQuery({ limit: 10 }));
    const [read] = quarantineRecords({
      name: point.measurement,
      columns,
      values: [rowOf(point, columns, NS)],
    });
    expect(read).toEqual({
      time: new Date(T0).toISOString(),
      code: 'VERSION_UNSUPPORTED',
      station: 'jinfo',
      gateway: 'gw-1',
      topic: 'fs/v1/jinfo/gw-1/readings',
      reason: 'message version 9 is not supported',
      reasonTruncated: false,
      payload: '{"v": 9, "note": "a, b = c"}',
      payloadTruncated: false,
      bytes: 28,
    });
  });
});

function historyOf(line: string, nsPerUnit: bigint) {
  const point = parseLine(line);
  const name = point.measurement as keyof typeof HISTORY_COLUMNS;
  const columns = ['time', ...HISTORY_COLUMNS[name]];
  return historyRows({ name, columns, values: [rowOf(point, columns, nsPerUnit)] }).map((row) => row.entry);
}

describe('alert history: ingest writers and API reader', () => {
  it('queries each measurement with the columns the decoder reads', () => {
    const statements = alertHistoryQuery({ limit: 1 }).split('; ');
    for (const statement of statements) {
      const name = /FROM "(\w+)"/.exec(statement)?.[1] as keyof typeof HISTORY_COLUMNS;
      expect(selectedColumns(statement)).toEqual(['time', ...HISTORY_COLUMNS[name]]);
    }
  });

  it('reads back a rule event', () => {
    const event: AlertEvent = {
      v: 1,
      station: 'jinfo',
      rule: 'co2-high',
      kind: 'threshold',
      state: 'firing',
      severity: 'warning',
      message: 'co2 above 1000 [ppm]',
      gateway: 'gw-1',
      sensor: 'cave-co2-1',
      value: 1200.5,
      threshold: 1000,
      time: T0,
      since: T0 - 60_000,
    };
    expect(historyOf(alertEventLine(event), MS)).toEqual([
      {
        time: new Date(T0).toISOString(),
        type: 'fire',
        station: 'jinfo',
        rule: 'co2-high',
        severity: 'warning',
        kind: 'threshold',
        message: 'co2 above 1000 [ppm]',
        gateway: 'gw-1',
        sensor: 'cave-co2-1',
        value: 1200.5,
        threshold: 1000,
        since: new Date(T0 - 60_000).toISOString(),
      },
    ]);
  });

  it('reads back an ack, a silence, a lift and a delivery', () => {
    const address = { station: 'jinfo', rule: 'co2-high' };
    const at = () => BigInt(T0) * MS;
    const common = { v: 1 as const, ...address, time: T0 };
    const ack = alertActionLine(
      { kind: 'ack', body: { ...common, since: T0 - 1000, by: 'li', comment: 'fan, on' } },
      at,
    );
    const silence = alertActionLine(
      { kind: 'silence', body: { ...common, until: T0 + 3_600_000, by: 'li' } },
      at,
    );
    const lift = alertActionLine({ kind: 'lift', address }, at);
    const delivery = alertActionLine(
      {
        kind: 'delivery',
        body: {
          ...common,
          id: 'n-1',
          channel: 'webhook',
          subscriber: 'ops',
          reason: 'firing',
          outcome: 'failed',
          attempt: 2,
          error: 'HTTP 503',
          since: T0 - 1000,
        },
      },
      at,
    );
    const time = new Date(T0).toISOString();
    const since = new Date(T0 - 1000).toISOString();
    expect(historyOf(ack, NS)).toEqual([
      { time, type: 'ack', ...address, since, by: 'li', comment: 'fan, on' },
    ]);
    expect(historyOf(silence, NS)).toEqual([
      { time, type: 'silence', ...address, until: new Date(T0 + 3_600_000).toISOString(), by: 'li' },
    ]);
    expect(historyOf(lift, NS)).toEqual([{ time, type: 'lift', ...address }]);
    expect(historyOf(delivery, NS)).toEqual([
      {
        time,
        type: 'delivery',
        ...address,
        id: 'n-1',
        channel: 'webhook',
        subscriber: 'ops',
        reason: 'firing',
        outcome: 'failed',
        attempt: 2,
        error: 'HTTP 503',
        since,
      },
    ]);
  });
});
