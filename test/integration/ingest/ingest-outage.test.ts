import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type IngestConfig, IngestConfigSchema, IngestService } from '../../../ingest/index.js';
import { gatewayTopic, type ReadingsBatchInput } from '../../../protocol/index.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { tempDir } from '../../harness/temp-dir.js';
import { connectClient, startTestBroker, type TestBroker } from './test-broker.js';

// Two days ago, on the hour: inside the window of sample times the ingest accepts, whenever the test runs.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 86_400_000;
const CLIENT_ID = 'fs-ingest-outage';
const TOPIC = gatewayTopic({ station: 'xuefeng', gateway: 'tower-gw-1' }, 'readings');
const logger = pino({ level: 'silent' });

let influx: TestInflux;
let broker: TestBroker;
let gateway: MqttClient;
let config: IngestConfig;
const services: IngestService[] = [];
/** seq of every readings message the ingest acknowledged, in order. */
const acked: number[] = [];

beforeAll(async () => {
  [influx, broker] = await Promise.all([startTestInflux(), startTestBroker()]);
  broker.aedes.on('ack', (packet, client) => {
    if (client.id === CLIENT_ID && 'topic' in packet && packet.topic === TOPIC) {
      acked.push(JSON.parse(packet.payload.toString()).seq);
    }
  });
  config = IngestConfigSchema.parse({
    dataDir: tempDir('fs-ingest'),
    mqtt: { url: broker.url, clientId: CLIENT_ID },
    influx: influx.config,
    writeRetry: { initialDelayMs: 20, maxDelayMs: 100 },
  });
  gateway = await connectClient(broker.url, 'tower-gw-1');
});

afterAll(async () => {
  await gateway?.endAsync();
  for (const service of services) await service.stop();
  await broker?.close();
  await influx?.stop();
});

async function startIngest(overrides: Partial<IngestConfig> = {}): Promise<IngestService> {
  const service = new IngestService({
    config: { ...config, ...overrides },
    logger,
    influx: influx.connection,
  });
  services.push(service);
  await service.start();
  return service;
}

function batch(seq: number): ReadingsBatchInput {
  const sensors = ['ice-1', 'ice-2', 'tension-1'];
  return {
    v: 1,
    seq,
    readings: sensors.map((sensor, i) => ({
      sensor,
      quantity: sensor.startsWith('ice') ? 'ice-thickness' : 'tension',
      unit: sensor.startsWith('ice') ? 'mm' : 'N',
      value: seq * 10 + i,
      time: T0 + seq * 60_000,
    })),
  };
}

const publish = (seq: number) => gateway.publishAsync(TOPIC, JSON.stringify(batch(seq)), { qos: 1 });
const countQuery = `SELECT count(value) FROM reading WHERE gateway = 'tower-gw-1' GROUP BY sensor`;

function spool(service: IngestService) {
  const stats = service.stats().spool;
  if (stats === undefined) throw new Error('the ingest has no spool');
  return stats;
}

describe('ingest while InfluxDB is down', () => {
  it('acknowledges what it has spooled, and writes every reading exactly once when InfluxDB returns, across a restart', async () => {
    const first = await startIngest();
    await publish(1);
    await vi.waitFor(() => expect(acked).toEqual([1]), { timeout: 10_000 });
    await vi.waitFor(async () => expect((await influx.rows(countQuery)).length).toBe(3), { timeout: 10_000 });

    await influx.server.stop();
    for (let seq = 2; seq <= 6; seq++) await publish(seq);
    // Spooled, so acknowledged: the gateways are not slowed while the spool has room.
    await vi.waitFor(() => expect(acked).toEqual([1, 2, 3, 4, 5, 6]), { timeout: 10_000 });
    await vi.waitFor(() => expect(spool(first).retries).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    expect(spool(first).pendingBytes).toBeGreaterThan(0);
    expect(first.backlog()).toMatchObject({ full: false, bytes: expect.any(Number) });

    // The ingest goes away mid-outage; what it spooled stays on disk for the next one.
    await first.stop();
    await influx.server.start();
    const second = await startIngest();
    await vi.waitFor(
      async () => {
        const counts = await influx.rows(countQuery);
        expect(counts.map((row) => [row.sensor, row.count])).toEqual([
          ['ice-1', 6],
          ['ice-2', 6],
          ['tension-1', 6],
        ]);
      },
      { timeout: 15_000 },
    );
    const ice = await influx.rows(`SELECT value FROM reading WHERE sensor = 'ice-1' ORDER BY time`);
    expect(ice.map((row) => row.value)).toEqual([10, 20, 30, 40, 50, 60]);
    // Sequence statistics survive the restart: six messages, no gap, no duplicate.
    expect(second.stats().sequences).toEqual([
      expect.objectContaining({ gateway: 'tower-gw-1', messages: 6, lastSeq: 6, gaps: 0, duplicates: 0 }),
    ]);
    await vi.waitFor(() => expect(spool(second).pendingBytes).toBe(0));
  });

  it('stops acknowledging when the spool is full, says so, and takes the rest once InfluxDB drains it', async () => {
    const [running] = services.splice(-1);
    await running?.stop();
    const small = await startIngest({ spool: { ...config.spool, maxBytes: 4096 } });
    await influx.server.stop();
    for (let seq = 7; seq <= 60; seq++)
      await gateway.publishAsync(TOPIC, JSON.stringify(batch(seq)), { qos: 1 }).catch(() => {});
    await vi.waitFor(() => expect(spool(small).full).toBe(true), { timeout: 10_000 });
    await vi.waitFor(() =>
      expect(small.health()).toMatchObject({ ok: false, reason: expect.stringMatching(/spool is full/) }),
    );
    const ackedWhileFull = acked.at(-1) ?? 0;
    expect(ackedWhileFull).toBeLessThan(60);
    expect(spool(small).appendWaits).toBeGreaterThan(0);

    await influx.server.start();
    await vi.waitFor(() => expect(acked.at(-1)).toBe(60), { timeout: 20_000 });
    await vi.waitFor(async () => {
      const counts = await influx.rows(countQuery);
      expect(counts.map((row) => row.count)).toEqual([60, 60, 60]);
    });
    // The rows can be queryable before the drainer has InfluxDB's answer (in flight, or a retry of
    // a write InfluxDB stored while its answer was lost to the restart): the spool makes room only
    // once the drainer confirms them.
    await vi.waitFor(() => expect(small.health()).toEqual({ ok: true }), { timeout: 15_000 });
  });

  it('stores the good readings of a batch InfluxDB refuses for one bad line, and quarantines only that line', async () => {
    // A `clock` field of integer type in this shard makes the reading that carries clock="unsynced"
    // a field type conflict: InfluxDB refuses it (400) and keeps the rest of the request.
    await influx.connection.writer.write(
      [`reading,gateway=other,quantity=tension,sensor=typed-1,station=xuefeng,unit=N clock=1i ${T0}`],
      'ms',
    );
    const readings = [1, 2, 3].map((i) => ({
      sensor: `mixed-${i}`,
      quantity: 'tension',
      unit: 'N',
      value: i,
      time: T0 + 61 * 60_000,
      ...(i === 2 ? { clock: 'unsynced' as const } : {}),
    }));
    await gateway.publishAsync(TOPIC, JSON.stringify({ v: 1, seq: 61, readings }), { qos: 1 });
    await vi.waitFor(
      async () => {
        const stored = await influx.rows(
          `SELECT value FROM reading WHERE sensor =~ /^mixed-/ GROUP BY sensor`,
        );
        expect(stored.map((row) => row.sensor)).toEqual(['mixed-1', 'mixed-3']);
        const records = await influx.rows(
          `SELECT payload, reason FROM quarantine WHERE code = 'WRITE_REJECTED'`,
        );
        expect(records).toEqual([
          expect.objectContaining({
            payload: expect.stringMatching(/^reading,gateway=tower-gw-1,.*sensor=mixed-2,/),
            reason: expect.stringMatching(/conflict/),
          }),
        ]);
      },
      { timeout: 15_000 },
    );
  });

  it('stops promptly with megabytes spooled and InfluxDB away, and loses none of them', async () => {
    await services.splice(-1)[0]?.stop();
    const running = await startIngest();
    await influx.server.stop();
    const big = (seq: number) => ({
      v: 1,
      seq,
      readings: Array.from({ length: 200 }, (_, i) => ({
        sensor: 'bulk-1',
        quantity: 'tension',
        unit: 'N',
        value: seq * 1000 + i,
        time: T0 + seq * 60_000 + i,
      })),
    });
    for (let seq = 100; seq < 500; seq++)
      await gateway.publishAsync(TOPIC, JSON.stringify(big(seq)), { qos: 1 });
    await vi.waitFor(() => expect(acked.at(-1)).toBe(499), { timeout: 20_000 });
    const stopping = Date.now();
    await running.stop();
    expect(Date.now() - stopping).toBeLessThan(15_000);

    await influx.server.start();
    await startIngest();
    await vi.waitFor(
      async () => {
        const [bulk] = await influx.rows(`SELECT count(value) FROM reading WHERE sensor = 'bulk-1'`);
        expect(bulk?.count).toBe(400 * 200);
      },
      { timeout: 30_000 },
    );
  }, 60_000);
});
