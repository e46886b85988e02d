import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IngestConfigSchema, IngestService } from '../../../ingest/index.js';
import { gatewayTopic, MAX_PAYLOAD_BYTES, type ReadingsBatchInput } from '../../../protocol/index.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { tempDir } from '../../harness/temp-dir.js';
import { connectClient, startTestBroker, type TestBroker } from './test-broker.js';

// Two days ago, on the hour: inside the window of sample times the ingest accepts, whenever the test runs.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 86_400_000;
const logger = pino({ level: 'silent' });

let influx: TestInflux;
let broker: TestBroker;
let ingest: IngestService;
let gateway: MqttClient;

beforeAll(async () => {
  [influx, broker] = await Promise.all([startTestInflux(), startTestBroker()]);
  const config = IngestConfigSchema.parse({
    dataDir: tempDir('fs-ingest'),
    mqtt: { url: broker.url, clientId: 'fs-ingest-store' },
    influx: influx.config,
  });
  ingest = new IngestService({ config, logger, influx: influx.connection });
  await ingest.start();
  gateway = await connectClient(broker.url, 'test-gateway');
});

afterAll(async () => {
  await gateway?.endAsync();
  await ingest?.stop();
  await broker?.close();
  await influx?.stop();
});

async function publish(gw: string, payload: ReadingsBatchInput | string | Buffer): Promise<void> {
  const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
  await gateway.publishAsync(gatewayTopic({ station: 'jinfo', gateway: gw }, 'readings'), body, { qos: 1 });
}

function co2Batch(seq: number): ReadingsBatchInput {
  return {
    v: 1,
    seq,
    readings: [
      { sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]', value: 812.4, time: T0 + seq * 1000, qc: 1 },
      {
        sensor: 'cave-temp-1',
        quantity: 'temperature',
        unit: 'Cel',
        value: 12,
        time: new Date(T0 + seq * 1000).toISOString(),
      },
    ],
  };
}

function sequenceOf(gw: string) {
  return ingest.stats().sequences.find((s) => s.gateway === gw);
}

describe('ingest into InfluxDB', () => {
  it('stores a valid batch with the right tags, fields and timestamps', async () => {
    await publish('gw-store', co2Batch(1));
    const query = `SELECT * FROM reading WHERE gateway = 'gw-store' ORDER BY time`;
    await vi.waitFor(async () => expect(await influx.rows(query)).toHaveLength(2), { timeout: 10_000 });
    const rows = await influx.rows(query);
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          time: T0 + 1000,
          station: 'jinfo',
          gateway: 'gw-store',
          sensor: 'cave-co2-1',
          quantity: 'co2',
          unit: '[ppm]',
          value: 812.4,
          qc: 1,
        },
        {
          time: T0 + 1000,
          station: 'jinfo',
          gateway: 'gw-store',
          sensor: 'cave-temp-1',
          quantity: 'temperature',
          unit: 'Cel',
          value: 12,
          qc: 2,
        },
      ]),
    );
    await vi.waitFor(() => expect(ingest.stats().readingsAccepted).toBeGreaterThanOrEqual(2));
  });

  it('leaves one point per reading when the same batch arrives twice, and counts the duplicate', async () => {
    await publish('gw-dup', co2Batch(7));
    await publish('gw-dup', co2Batch(7));
    await vi.waitFor(() => expect(sequenceOf('gw-dup')?.messages).toBe(2), { timeout: 10_000 });
    expect(sequenceOf('gw-dup')).toMatchObject({ duplicates: 1, gaps: 0 });
    await vi.waitFor(async () => {
      const counts = await influx.rows(
        `SELECT count(value) FROM reading WHERE gateway = 'gw-dup' GROUP BY sensor`,
      );
      expect(counts.map((row) => [row.sensor, row.count])).toEqual([
        ['cave-co2-1', 1],
        ['cave-temp-1', 1],
      ]);
    });
  });

  it('counts a jump in seq as a gap', async () => {
    for (const seq of [1, 2, 6]) await publish('gw-gap', co2Batch(seq));
    await vi.waitFor(() => expect(sequenceOf('gw-gap')?.messages).toBe(3), { timeout: 10_000 });
    expect(sequenceOf('gw-gap')).toMatchObject({ gaps: 3, lastSeq: 6, duplicates: 0 });
  });

  it.each([
    ['bad-json', '{"v": 1, "seq": ', 'PAYLOAD_NOT_JSON', /^payload is not JSON: /],
    [
      'bad-schema',
      JSON.stringify({ v: 1, seq: 1, readings: [{ sensor: 'S 1' }] }),
      'PAYLOAD_INVALID',
      /readings\.0\.sensor: must be a slug/,
    ],
    [
      'bad-version',
      JSON.stringify({ v: 2, seq: 1, readings: [] }),
      'VERSION_UNSUPPORTED',
      /version 2 is not supported/,
    ],
    [
      'too-large',
      Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20),
      'PAYLOAD_TOO_LARGE',
      /^payload is \d+ bytes; the limit is/,
    ],
  ])('quarantines %s with its code and reason', async (gw, payload, code, reason) => {
    await publish(gw, payload);
    const topic = gatewayTopic({ station: 'jinfo', gateway: gw }, 'readings');
    const query = `SELECT * FROM quarantine WHERE topic = '${topic}'`;
    await vi.waitFor(async () => expect(await influx.rows(query)).toHaveLength(1), { timeout: 10_000 });
    const [row] = await influx.rows(query);
    expect(row).toMatchObject({
      code,
      station: 'jinfo',
      gateway: gw,
      topic,
      bytes: Buffer.byteLength(payload),
    });
    expect(row?.reason).toMatch(reason);
    expect(String(row?.payload).length).toBeLessThanOrEqual(32 * 1024);
    // The counter moves once the write has been confirmed, a moment after the row is visible.
    await vi.waitFor(() => expect(ingest.stats().quarantined[code as 'PAYLOAD_NOT_JSON']).toBe(1));
  });
});
