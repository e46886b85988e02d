import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type IngestConfig, IngestConfigSchema, IngestService } from '../../../ingest/index.js';
import { gatewayTopic, type ReadingsBatchInput } from '../../../protocol/index.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { connectClient, startTestBroker, type TestBroker } from './test-broker.js';

const T0 = 1764194400000;
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

async function startIngest(): Promise<IngestService> {
  const service = new IngestService({ config, logger, influx: influx.connection });
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

describe('ingest while InfluxDB is down', () => {
  it('acknowledges nothing it has not stored, and stores every reading exactly once after restarts', async () => {
    const first = await startIngest();
    await publish(1);
    await vi.waitFor(() => expect(acked).toEqual([1]), { timeout: 10_000 });

    await influx.server.stop();
    for (let seq = 2; seq <= 6; seq++) await publish(seq);
    // The first write after the outage fails and is retried; the rest stay queued behind it.
    await vi.waitFor(() => expect(first.stats().writeRetries).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    expect(first.stats()).toMatchObject({ messages: 2, readingsWritten: 3 });
    expect(acked).toEqual([1]);

    // The ingest goes away mid-outage; its unacknowledged messages stay with its session on the broker.
    await first.stop();
    expect(acked).toEqual([1]);

    await influx.server.start();
    const second = await startIngest();
    await vi.waitFor(() => expect(acked).toEqual([1, 2, 3, 4, 5, 6]), { timeout: 15_000 });
    expect(second.stats()).toMatchObject({ messages: 5, readingsWritten: 15 });
    expect(second.stats().sequences).toEqual([
      expect.objectContaining({ gateway: 'tower-gw-1', gaps: 0, duplicates: 0 }),
    ]);

    const counts = await influx.rows(countQuery);
    expect(counts.map((row) => [row.sensor, row.count])).toEqual([
      ['ice-1', 6],
      ['ice-2', 6],
      ['tension-1', 6],
    ]);
    const ice = await influx.rows(`SELECT value FROM reading WHERE sensor = 'ice-1' ORDER BY time`);
    expect(ice.map((row) => row.value)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('keeps retrying while InfluxDB is down and drains the queue in order when it returns', async () => {
    const [service] = services.slice(-1);
    if (!service) throw new Error('no running ingest');
    const retriesBefore = service.stats().writeRetries;
    await influx.server.stop();
    for (let seq = 7; seq <= 9; seq++) await publish(seq);
    await vi.waitFor(() => expect(service.stats().writeRetries).toBeGreaterThanOrEqual(retriesBefore + 2), {
      timeout: 10_000,
    });
    expect(acked.at(-1)).toBe(6);
    await influx.server.start();
    await vi.waitFor(() => expect(acked).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]), { timeout: 15_000 });
    const counts = await influx.rows(countQuery);
    expect(counts.map((row) => row.count)).toEqual([9, 9, 9]);
  });

  it('stops promptly with megabytes queued on its connection, and loses none of them', async () => {
    const [running] = services.slice(-1);
    if (!running) throw new Error('no running ingest');
    await influx.server.stop();
    // Enough data that the broker's socket to the ingest fills and MQTT.js stops reading.
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
    for (let seq = 10; seq < 410; seq++)
      await gateway.publishAsync(TOPIC, JSON.stringify(big(seq)), { qos: 1 });
    await vi.waitFor(() => expect(running.stats().writeRetries).toBeGreaterThan(0), { timeout: 10_000 });
    await running.stop();
    expect(acked.at(-1)).toBe(9);

    await influx.server.start();
    await startIngest();
    await vi.waitFor(() => expect(acked.at(-1)).toBe(409), { timeout: 30_000 });
    const [bulk] = await influx.rows(`SELECT count(value) FROM reading WHERE sensor = 'bulk-1'`);
    expect(bulk?.count).toBe(400 * 200);
  }, 30_000);
});
