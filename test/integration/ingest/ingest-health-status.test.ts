import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IngestConfigSchema, IngestService } from '../../../ingest/index.js';
import {
  DELIVERY,
  type GatewayKind,
  gatewayTopic,
  type HealthInput,
  MAX_PAYLOAD_BYTES,
  type ReadingsBatchInput,
} from '../../../protocol/index.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { LogRecorder } from '../../harness/log-recorder.js';
import { tempDir } from '../../harness/temp-dir.js';
import { connectClient, startTestBroker, type TestBroker } from './test-broker.js';

// Two days ago, on the hour: inside the window of sample times the ingest accepts, whenever the test runs.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 86_400_000;
const RETAINED_LOG =
  'retained message quarantined (it is quarantined again at every ingest start while it stays retained)';

let influx: TestInflux;
let broker: TestBroker;
let ingest: IngestService;
let gateway: MqttClient;
const logs = new LogRecorder();

const topic = (gw: string, kind: GatewayKind): string =>
  gatewayTopic({ station: 'jinfo', gateway: gw }, kind);

async function publish(gw: string, kind: GatewayKind, payload: string | Buffer): Promise<void> {
  await gateway.publishAsync(topic(gw, kind), payload, DELIVERY[kind]);
}

function startIngest(clientId: string): Promise<IngestService> {
  const config = IngestConfigSchema.parse({
    dataDir: tempDir('fs-ingest'),
    mqtt: { url: broker.url, clientId },
    influx: influx.config,
    statsLogIntervalMs: 0,
  });
  const service = new IngestService({ config, logger: logs.logger(), influx: influx.connection });
  return service.start().then(() => service);
}

function quarantineRows(forTopic: string) {
  return influx.rows(`SELECT * FROM quarantine WHERE topic = '${forTopic}'`);
}

const health: HealthInput = {
  v: 1,
  time: T0,
  uptimeS: 86_400.5,
  outbox: { pendingMessages: 12, diskBytes: 65_536, droppedMessages: 3, droppedReadings: 24 },
  published: { messages: 1000, readings: 8000 },
  sensors: [
    { sensor: 'cave-co2-1', samples: 4000, errors: 0 },
    { sensor: 'cave-temp-1', samples: 3990, errors: 10, lastError: 'SENSOR_TIMEOUT: no reply' },
  ],
};

const readings = (seq: number): ReadingsBatchInput => ({
  v: 1,
  seq,
  readings: [{ sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]', value: 800 + seq, time: T0 + seq }],
});

beforeAll(async () => {
  [influx, broker] = await Promise.all([startTestInflux(), startTestBroker()]);
  gateway = await connectClient(broker.url, 'test-gateway');
  // Retained before the ingest subscribes, so both arrive with the retain flag set.
  await publish('gw-online', 'status', JSON.stringify({ v: 1, state: 'online', software: 'test' }));
  await publish('gw-broken', 'status', JSON.stringify({ v: 1, state: 'asleep' }));
  ingest = await startIngest('fs-ingest-health');
});

afterAll(async () => {
  await gateway?.endAsync();
  await ingest?.stop();
  await broker?.close();
  await influx?.stop();
});

describe('ingest of health and status', () => {
  it('stores a valid health message in gateway_health and sensor_health', async () => {
    await publish('gw-health', 'health', JSON.stringify(health));
    const sensorQuery = `SELECT * FROM sensor_health WHERE gateway = 'gw-health' ORDER BY time`;
    await vi.waitFor(async () => expect(await influx.rows(sensorQuery)).toHaveLength(2), { timeout: 10_000 });
    expect(await influx.rows(`SELECT * FROM gateway_health WHERE gateway = 'gw-health'`)).toEqual([
      {
        time: T0,
        station: 'jinfo',
        gateway: 'gw-health',
        uptime_s: 86_400.5,
        outbox_pending_messages: 12,
        outbox_disk_bytes: 65_536,
        outbox_dropped_messages: 3,
        outbox_dropped_readings: 24,
        published_messages: 1000,
        published_readings: 8000,
      },
    ]);
    expect(await influx.rows(sensorQuery)).toEqual(
      expect.arrayContaining([
        {
          time: T0,
          station: 'jinfo',
          gateway: 'gw-health',
          sensor: 'cave-co2-1',
          samples: 4000,
          errors: 0,
          last_error: null,
        },
        {
          time: T0,
          station: 'jinfo',
          gateway: 'gw-health',
          sensor: 'cave-temp-1',
          samples: 3990,
          errors: 10,
          last_error: 'SENSOR_TIMEOUT: no reply',
        },
      ]),
    );
    expect(ingest.stats().sequences.find((s) => s.gateway === 'gw-health')).toBeUndefined();
  });

  it('leaves the same points when the same health message arrives twice', async () => {
    await publish('gw-health-dup', 'health', JSON.stringify(health));
    await publish('gw-health-dup', 'health', JSON.stringify(health));
    await vi.waitFor(() => expect(ingest.stats().healthAccepted).toBeGreaterThanOrEqual(3), {
      timeout: 10_000,
    });
    await vi.waitFor(async () => {
      const counts = await influx.rows(
        `SELECT count(samples) FROM sensor_health WHERE gateway = 'gw-health-dup' GROUP BY sensor`,
      );
      expect(counts.map((row) => [row.sensor, row.count])).toEqual([
        ['cave-co2-1', 1],
        ['cave-temp-1', 1],
      ]);
    });
  });

  it.each([
    ['health', 'h-json', '{"v": 1, "time": ', 'PAYLOAD_NOT_JSON', /^payload is not JSON: /],
    ['health', 'h-schema', JSON.stringify({ ...health, uptimeS: -1 }), 'PAYLOAD_INVALID', /uptimeS: /],
    ['health', 'h-version', JSON.stringify({ ...health, v: 2 }), 'VERSION_UNSUPPORTED', /version 2/],
    ['health', 'h-large', Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), 'PAYLOAD_TOO_LARGE', /the limit is/],
    ['status', 's-json', 'online', 'PAYLOAD_NOT_JSON', /^payload is not JSON: /],
    ['status', 's-schema', JSON.stringify({ v: 1, state: 'asleep' }), 'PAYLOAD_INVALID', /^state: /],
    ['status', 's-version', JSON.stringify({ v: 2, state: 'online' }), 'VERSION_UNSUPPORTED', /version 2/],
    ['status', 's-large', Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), 'PAYLOAD_TOO_LARGE', /the limit is/],
  ] as const)(
    'quarantines an invalid %s message (%s) with its code and reason',
    async (kind, gw, payload, code, reason) => {
      await publish(gw, kind, payload);
      // InfluxDB 1.x makes a point's fields visible one by one: a query during the write can see a
      // row with some of them, so the whole row is what is waited for.
      await vi.waitFor(
        async () => {
          const rows = await quarantineRows(topic(gw, kind));
          expect(rows).toHaveLength(1);
          expect(rows[0]).toMatchObject({
            code,
            station: 'jinfo',
            gateway: gw,
            topic: topic(gw, kind),
            bytes: Buffer.byteLength(payload),
          });
          expect(rows[0]?.reason).toMatch(reason);
        },
        { timeout: 10_000 },
      );
    },
  );

  it('accepts a valid retained status without quarantining it, and readings flow as before', async () => {
    await vi.waitFor(() => expect(ingest.stats().statusAccepted).toBeGreaterThanOrEqual(1), {
      timeout: 10_000,
    });
    await publish('gw-online', 'readings', JSON.stringify(readings(1)));
    await publish('gw-online', 'readings', JSON.stringify(readings(2)));
    const query = `SELECT value FROM reading WHERE gateway = 'gw-online'`;
    await vi.waitFor(async () => expect(await influx.rows(query)).toHaveLength(2), { timeout: 10_000 });
    expect(ingest.stats().sequences.find((s) => s.gateway === 'gw-online')).toMatchObject({
      messages: 2,
      lastSeq: 2,
      gaps: 0,
    });
    expect(await quarantineRows(topic('gw-online', 'status'))).toEqual([]);
  });

  it('quarantines an invalid retained status, saying so in the log, and again at the next start', async () => {
    const retainedTopic = topic('gw-broken', 'status');
    const logged = await logs.waitFor(RETAINED_LOG, (record) => record.topic === retainedTopic);
    expect(logged).toMatchObject({ code: 'PAYLOAD_INVALID', retained: true });
    await vi.waitFor(async () => expect(await quarantineRows(retainedTopic)).toHaveLength(1), {
      timeout: 10_000,
    });
    // A second ingest (its own session) is sent the retained messages again on subscribing.
    const second = await startIngest('fs-ingest-health-second');
    try {
      await vi.waitFor(async () => expect(await quarantineRows(retainedTopic)).toHaveLength(2), {
        timeout: 10_000,
      });
      await vi.waitFor(() => expect(second.stats().statusAccepted).toBeGreaterThanOrEqual(1));
      expect(await quarantineRows(topic('gw-online', 'status'))).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
