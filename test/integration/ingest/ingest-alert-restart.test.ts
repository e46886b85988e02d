import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type IngestConfig, IngestConfigSchema, IngestService } from '../../../ingest/index.js';
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
`;
const HISTORY = `SELECT * FROM alert_event WHERE "rule" = 'cave-co2-high' ORDER BY time`;

let influx: TestInflux;
let broker: TestBroker;
let config: IngestConfig;
let gateway: MqttClient;
let watcher: MqttClient;
const services: IngestService[] = [];
const seen: { event: AlertEvent }[] = [];

beforeAll(async () => {
  [influx, broker] = await Promise.all([startTestInflux(), startTestBroker()]);
  const dir = await mkdtemp(join(tmpdir(), 'fs-ingest-alert-restart-'));
  await writeFile(join(dir, 'alerts.yaml'), RULES);
  config = IngestConfigSchema.parse({
    dataDir: tempDir('fs-ingest'),
    mqtt: { url: broker.url, clientId: 'fs-ingest-alert-restart' },
    influx: influx.config,
    alertsFile: join(dir, 'alerts.yaml'),
  });
  gateway = await connectClient(broker.url, 'cave-gw-1');
  watcher = await connectClient(broker.url, 'dashboard');
  watcher.on('message', (_topic, payload) => {
    seen.push({ event: AlertEventSchema.parse(JSON.parse(payload.toString())) });
  });
  await watcher.subscribeAsync(SUBSCRIPTIONS.alerts, { qos: 1 });
});

afterAll(async () => {
  await watcher?.endAsync();
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

let seq = 0;
async function co2(value: number): Promise<void> {
  seq++;
  const readings = [{ sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]', value, time: T0 + seq * 60_000 }];
  const topic = gatewayTopic({ station: 'jinfo', gateway: 'cave-gw-1' }, 'readings');
  await gateway.publishAsync(topic, JSON.stringify({ v: 1, seq, readings }), { qos: 1 });
}

/** What a dashboard connecting now is told: the retained message on the rule's topic. */
async function retained(): Promise<{ state: string; retain: boolean }> {
  const late = await connectClient(broker.url, 'late-dashboard');
  try {
    const received = new Promise<{ state: string; retain: boolean }>((resolve) =>
      late.once('message', (_topic, payload, packet) =>
        resolve({
          state: AlertEventSchema.parse(JSON.parse(payload.toString())).state,
          retain: packet.retain,
        }),
      ),
    );
    await late.subscribeAsync(alertTopic({ station: 'jinfo', rule: 'cave-co2-high' }), { qos: 1 });
    return await received;
  } finally {
    await late.endAsync();
  }
}

describe('alert state across an ingest restart', () => {
  it('clears, once, a rule that was firing when the previous ingest stopped', async () => {
    const first = await startIngest();
    await co2(4000);
    await co2(5600);
    await vi.waitFor(() => expect(seen.map((s) => s.event.state)).toEqual(['firing']), { timeout: 10_000 });
    await vi.waitFor(async () => expect(await influx.rows(HISTORY)).toHaveLength(1), { timeout: 10_000 });
    await first.stop();

    const second = await startIngest();
    await co2(5700);
    await vi.waitFor(() => expect(second.stats().messages).toBe(1), { timeout: 10_000 });
    await co2(4300);
    await co2(4200);
    await vi.waitFor(() => expect(second.stats().messages).toBe(3), { timeout: 10_000 });
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 10_000 });
    // Events go out in order, so a second `firing` for 5700 would have come before the clear.
    expect(seen.map((s) => s.event.state)).toEqual(['firing', 'clear']);
    expect(seen[1]?.event).toMatchObject({
      state: 'clear',
      sensor: 'cave-co2-1',
      value: 4300,
      since: T0 + 2 * 60_000,
    });
    expect(second.stats().alertsFired).toBe(0);
    expect(await retained()).toMatchObject({ retain: true, state: 'clear' });
    await vi.waitFor(async () => expect(await influx.rows(HISTORY)).toHaveLength(2), { timeout: 10_000 });
    expect((await influx.rows(HISTORY)).map((row) => [row.state, row.value])).toEqual([
      ['firing', 5600],
      ['clear', 4300],
    ]);
  });
});
