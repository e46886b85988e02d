import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type IngestConfig, IngestConfigSchema, IngestService } from '../../../ingest/index.js';
import { type AlertEvent, AlertEventSchema, gatewayTopic, SUBSCRIPTIONS } from '../../../protocol/index.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { tempDir } from '../../harness/temp-dir.js';
import { connectClient, startTestBroker, type TestBroker } from './test-broker.js';

const logger = pino({ level: 'silent' });
// Short durations so the clock-driven kinds act within a test; the tick runs every 50 ms.
const RULES = `rules:
  - id: icing-weather
    kind: composite
    station: xuefeng
    all:
      - { sensor: air-temp-1, unit: Cel, op: below, threshold: 0, clearAt: 1 }
      - { sensor: air-rh-1, unit: "%", op: above, threshold: 89.9, clearAt: 85 }
    for: 1500ms
    staleAfter: 1m
  - id: line-gateway-offline
    kind: gateway-offline
    station: xuefeng
    after: 1s
  - id: drip-silent
    kind: deadman
    station: jinfo
    sensor: drip-rate-1
    after: 3s
  - id: cave-co2-high
    station: jinfo
    quantity: co2
    op: above
    threshold: 5000
    for: 3s
`;

let influx: TestInflux;
let broker: TestBroker;
let config: IngestConfig;
let lineGateway: MqttClient;
let caveGateway: MqttClient;
let watcher: MqttClient;
const services: IngestService[] = [];
const seen: AlertEvent[] = [];
const ofRule = (rule: string) => seen.filter((event) => event.rule === rule).map((event) => event.state);

beforeAll(async () => {
  [influx, broker] = await Promise.all([startTestInflux(), startTestBroker()]);
  const dir = await mkdtemp(join(tmpdir(), 'fs-ingest-alert-kinds-'));
  await writeFile(join(dir, 'alerts.yaml'), RULES);
  config = IngestConfigSchema.parse({
    dataDir: tempDir('fs-ingest'),
    mqtt: { url: broker.url, clientId: 'fs-ingest-alert-kinds' },
    influx: influx.config,
    alertsFile: join(dir, 'alerts.yaml'),
    alertClock: { tickMs: 50, settleMs: 300, maxCatchUpMs: 5000 },
  });
  lineGateway = await connectClient(broker.url, 'line-gw-1');
  caveGateway = await connectClient(broker.url, 'cave-gw-1');
  watcher = await connectClient(broker.url, 'dashboard');
  watcher.on('message', (_topic, payload) =>
    seen.push(AlertEventSchema.parse(JSON.parse(payload.toString()))),
  );
  await watcher.subscribeAsync(SUBSCRIPTIONS.alerts, { qos: 1 });
});

afterAll(async () => {
  await watcher?.endAsync();
  await lineGateway?.endAsync();
  await caveGateway?.endAsync();
  for (const service of services) await service.stop();
  await broker?.close();
  await influx?.stop();
});

async function startIngest(clock: Partial<IngestConfig['alertClock']> = {}): Promise<IngestService> {
  const alertClock = { ...config.alertClock, ...clock };
  const service = new IngestService({ config: { ...config, alertClock }, logger, influx: influx.connection });
  services.push(service);
  await service.start();
  return service;
}

const seqs = new Map<string, number>();
async function publish(
  client: MqttClient,
  address: { station: string; gateway: string },
  readings: { sensor: string; quantity: string; unit: string; value: number }[],
): Promise<void> {
  const seq = (seqs.get(address.gateway) ?? 0) + 1;
  seqs.set(address.gateway, seq);
  // Sample time now: the tick judges freshness against the clock, as it would in the field.
  const batch = { v: 1, seq, readings: readings.map((r) => ({ ...r, time: Date.now(), qc: 1 })) };
  await client.publishAsync(gatewayTopic(address, 'readings'), JSON.stringify(batch), { qos: 1 });
}

const line = { station: 'xuefeng', gateway: 'line-gw-1' };
const cave = { station: 'jinfo', gateway: 'cave-gw-1' };

async function status(state: 'online' | 'offline'): Promise<void> {
  await lineGateway.publishAsync(gatewayTopic(line, 'status'), JSON.stringify({ v: 1, state }), {
    qos: 1,
    retain: true,
  });
}

describe('clock-driven alert kinds on a real broker and InfluxDB', () => {
  it('fires a composite `for` rule once via the tick, and a gateway-offline rule after its delay until online', async () => {
    const ingest = await startIngest();
    await publish(lineGateway, line, [
      { sensor: 'air-temp-1', quantity: 'air-temperature', unit: 'Cel', value: -1.5 },
      { sensor: 'air-rh-1', quantity: 'relative-humidity', unit: '%', value: 96 },
    ]);
    await vi.waitFor(() => expect(ofRule('icing-weather')).toEqual(['firing']), { timeout: 10_000 });
    const [firing] = seen.filter((event) => event.rule === 'icing-weather');
    expect(firing).toMatchObject({
      kind: 'composite',
      station: 'xuefeng',
      message: 'xuefeng: all conditions hold (air-temperature -1.5 Cel, relative-humidity 96 %)',
    });
    expect((firing?.time ?? 0) - (firing?.since ?? 0)).toBeGreaterThanOrEqual(0);

    await status('offline');
    await vi.waitFor(() => expect(ofRule('line-gateway-offline')).toEqual(['firing']), { timeout: 10_000 });
    expect(seen.find((event) => event.rule === 'line-gateway-offline')).toMatchObject({
      kind: 'gateway-offline',
      gateway: 'line-gw-1',
    });
    await status('online');
    await vi.waitFor(() => expect(ofRule('line-gateway-offline')).toEqual(['firing', 'clear']), {
      timeout: 10_000,
    });
    // Still one composite event: the tick fires once and stays quiet while firing.
    expect(ofRule('icing-weather')).toEqual(['firing']);
    const history = `SELECT * FROM alert_event WHERE "station" = 'xuefeng' ORDER BY time`;
    await vi.waitFor(async () => expect(await influx.rows(history)).toHaveLength(3), { timeout: 10_000 });
    expect((await influx.rows(history)).map((row) => row.kind).sort()).toEqual([
      'composite',
      'gateway-offline',
      'gateway-offline',
    ]);
    await ingest.stop();
  });

  it('completes a deadman clock and a for that were half elapsed at a restart, once each, after it', async () => {
    // The first ingest's clock never ticks: on a busy machine the 3 s can run out before its stop is
    // over, and the clocks must still be half elapsed, not completed, at the restart.
    const first = await startIngest({ tickMs: 3_600_000 });
    const sentAt = Date.now();
    await publish(caveGateway, cave, [
      { sensor: 'drip-rate-1', quantity: 'drip-rate', unit: '/min', value: 4 },
      { sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]', value: 5200 },
    ]);
    await vi.waitFor(() => expect(first.stats().messages).toBeGreaterThanOrEqual(1), { timeout: 10_000 });
    const heardAt = Date.now();
    await first.stop();
    expect(ofRule('drip-silent')).toEqual([]);
    expect(ofRule('cave-co2-high')).toEqual([]);

    await startIngest();
    await vi.waitFor(() => expect(ofRule('drip-silent')).toEqual(['firing']), { timeout: 15_000 });
    const [fired] = seen.filter((event) => event.rule === 'drip-silent');
    // The clock ran on from the reading before the restart: it fired 3 s after its sample time (taken
    // between sentAt and heardAt), not 3 s after the start.
    expect(fired?.since).toBeGreaterThanOrEqual(sentAt + 3000);
    expect(fired?.since).toBeLessThanOrEqual(heardAt + 3000);
    expect(fired).toMatchObject({ kind: 'deadman', gateway: 'cave-gw-1', sensor: 'drip-rate-1' });
    await vi.waitFor(() => expect(ofRule('cave-co2-high')).toEqual(['firing']), { timeout: 10_000 });
    const [co2] = seen.filter((event) => event.rule === 'cave-co2-high');
    // The 3 s ran from the reading's sample time before the restart.
    expect(co2).toMatchObject({ kind: 'threshold', sensor: 'cave-co2-1', value: 5200 });
    expect(co2?.since).toBeLessThanOrEqual(heardAt + 3000);

    await publish(caveGateway, cave, [
      { sensor: 'drip-rate-1', quantity: 'drip-rate', unit: '/min', value: 5 },
      { sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]', value: 800 },
    ]);
    // Events go out in order: a duplicate `firing` would show before the clear.
    await vi.waitFor(() => expect(ofRule('drip-silent')).toEqual(['firing', 'clear']), { timeout: 10_000 });
  });
});
