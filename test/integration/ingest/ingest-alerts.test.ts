import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IngestConfigSchema, IngestService } from '../../../ingest/index.js';
import {
  type AlertEvent,
  AlertEventSchema,
  alertTopic,
  gatewayTopic,
  SUBSCRIPTIONS,
} from '../../../protocol/index.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { tempDir } from '../../harness/temp-dir.js';
import { connectClient, startTestBroker, type TestBroker } from './test-broker.js';

// Two days ago, on the hour: inside the window of sample times the ingest accepts, whenever the test runs.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 86_400_000;
const logger = pino({ level: 'silent' });
const RULES = `rules:
  - id: cave-co2-high
    station: jinfo
    quantity: co2
    op: above
    threshold: 5000
    clearAt: 4500
    description: cave CO2 high
`;

let influx: TestInflux;
let broker: TestBroker;
let ingest: IngestService;
let gateway: MqttClient;
let watcher: MqttClient;
const seen: { event: AlertEvent; retain: boolean }[] = [];

beforeAll(async () => {
  [influx, broker] = await Promise.all([startTestInflux(), startTestBroker()]);
  const dir = await mkdtemp(join(tmpdir(), 'fs-ingest-alerts-'));
  await writeFile(join(dir, 'alerts.yaml'), RULES);
  const config = IngestConfigSchema.parse({
    dataDir: tempDir('fs-ingest'),
    mqtt: { url: broker.url, clientId: 'fs-ingest-alerts' },
    influx: influx.config,
    alertsFile: join(dir, 'alerts.yaml'),
  });
  ingest = new IngestService({ config, logger, influx: influx.connection });
  await ingest.start();
  gateway = await connectClient(broker.url, 'cave-gw-1');
  watcher = await connectClient(broker.url, 'dashboard');
  watcher.on('message', (_topic, payload, packet) => {
    seen.push({ event: AlertEventSchema.parse(JSON.parse(payload.toString())), retain: packet.retain });
  });
  await watcher.subscribeAsync(SUBSCRIPTIONS.alerts, { qos: 1 });
});

afterAll(async () => {
  await watcher?.endAsync();
  await gateway?.endAsync();
  await ingest?.stop();
  await broker?.close();
  await influx?.stop();
});

let seq = 0;
async function co2(value: number): Promise<void> {
  seq++;
  const batch = {
    v: 1,
    seq,
    readings: [
      { sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]', value, time: T0 + seq * 60_000, qc: 1 },
    ],
  };
  await gateway.publishAsync(
    gatewayTopic({ station: 'jinfo', gateway: 'cave-gw-1' }, 'readings'),
    JSON.stringify(batch),
    {
      qos: 1,
    },
  );
}

async function retainedAlert(): Promise<{ event: AlertEvent; retain: boolean }> {
  const late = await connectClient(broker.url, 'late-dashboard');
  try {
    const received = new Promise<{ event: AlertEvent; retain: boolean }>((resolve) =>
      late.once('message', (_topic, payload, packet) =>
        resolve({ event: AlertEventSchema.parse(JSON.parse(payload.toString())), retain: packet.retain }),
      ),
    );
    await late.subscribeAsync(alertTopic({ station: 'jinfo', rule: 'cave-co2-high' }), { qos: 1 });
    return await received;
  } finally {
    await late.endAsync();
  }
}

describe('threshold alerts', () => {
  it('fires once on crossing, keeps the state retained, and clears once when the value returns', async () => {
    await co2(4000);
    await co2(5120.4);
    await co2(5600);
    await vi.waitFor(() => expect(ingest.stats().messages).toBe(3), { timeout: 10_000 });
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 10_000 });
    expect(seen[0]?.event).toMatchObject({
      station: 'jinfo',
      rule: 'cave-co2-high',
      state: 'firing',
      severity: 'warning',
      gateway: 'cave-gw-1',
      sensor: 'cave-co2-1',
      value: 5120.4,
      time: T0 + 2 * 60_000,
      since: T0 + 2 * 60_000,
      message: 'jinfo cave-co2-1: co2 5120.4 [ppm] above 5000 [ppm] (cave CO2 high)',
    });
    const retained = await retainedAlert();
    expect(retained).toMatchObject({ retain: true, event: { state: 'firing', value: 5120.4 } });

    await co2(4700);
    await co2(4400);
    await co2(4300);
    await vi.waitFor(() => expect(ingest.stats().messages).toBe(6), { timeout: 10_000 });
    await vi.waitFor(() => expect(seen.map((s) => s.event.state)).toEqual(['firing', 'clear']), {
      timeout: 10_000,
    });
    expect(seen[1]?.event).toMatchObject({ state: 'clear', value: 4400, since: T0 + 2 * 60_000 });
    expect((await retainedAlert()).event.state).toBe('clear');
    expect(ingest.stats().alertsFired).toBe(1);

    // History is written after the MQTT publish is confirmed, so it may land a moment later.
    const query = `SELECT * FROM alert_event WHERE "rule" = 'cave-co2-high' ORDER BY time`;
    await vi.waitFor(async () => expect(await influx.rows(query)).toHaveLength(2), { timeout: 10_000 });
    expect(await influx.rows(query)).toEqual([
      expect.objectContaining({
        state: 'firing',
        severity: 'warning',
        station: 'jinfo',
        sensor: 'cave-co2-1',
        value: 5120.4,
        threshold: 5000,
      }),
      expect.objectContaining({ state: 'clear', gateway: 'cave-gw-1', value: 4400, time: T0 + 5 * 60_000 }),
    ]);
  });
});
