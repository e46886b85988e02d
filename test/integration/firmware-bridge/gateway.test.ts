import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Clock, systemClock } from '../../../firmware-bridge/clock.js';
import { parseGatewayConfig } from '../../../firmware-bridge/config/load.js';
import { Gateway, type GatewayOptions } from '../../../firmware-bridge/gateway.js';
import type { Reading, ReadingsBatch, Status } from '../../../protocol/index.js';
import { type PtyPair, startPtyPair } from '../../harness/socat.js';
import { startTestBroker, type TestBroker } from './broker.js';
import { TestSubscriber } from './subscriber.js';

const logger = pino({ level: process.env.FS_TEST_LOG ?? 'silent' });
const FAST_RECONNECT = { initialDelayMs: 100, maxDelayMs: 400, factor: 2, jitter: 1 };
const T0 = Date.UTC(2026, 10, 27, 8);

function configFor(dir: string, serialPath: string, overrides: Record<string, unknown> = {}) {
  return parseGatewayConfig(
    {
      station: 'jinfo',
      gateway: 'cave-gw-1',
      mqtt: { url: 'mqtt://127.0.0.1:1' },
      outbox: { dir: 'outbox' },
      batch: { maxReadings: 2, maxDelayMs: 100 },
      healthIntervalMs: 1000,
      serialPorts: [{ id: 'climate', path: serialPath, baudRate: 19200, protocol: { type: 'kv' } }],
      sensors: [
        {
          id: 'cave-co2-1',
          quantity: 'co2',
          unit: '[ppm]',
          intervalMs: 60000,
          calibration: { scale: 1, offset: -12.5 },
          range: { min: 300, max: 10000 },
          driver: { type: 'serial-line', port: 'climate', channel: 'co2' },
        },
        {
          id: 'cave-temp-1',
          quantity: 'air-temperature',
          unit: 'Cel',
          intervalMs: 60000,
          calibration: { scale: 2, offset: 0.5 },
          driver: { type: 'serial-line', port: 'climate', channel: 'temp' },
        },
      ],
      ...overrides,
    },
    join(dir, 'gateway.yaml'),
  );
}

function readingsOf(subscriber: TestSubscriber): { seq: number; readings: Reading[] }[] {
  return subscriber.on('readings').map((message) => message.payload as ReadingsBatch);
}

function allReadings(subscriber: TestSubscriber): Reading[] {
  return readingsOf(subscriber).flatMap((batch) => batch.readings);
}

function statuses(subscriber: TestSubscriber): Status[] {
  return subscriber.on('status').map((message) => message.payload as Status);
}

describe('Gateway over a socat PTY and a real Aedes', () => {
  let dir: string;
  let pty: PtyPair;
  let device: FileHandle;
  const cleanup: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-gateway-'));
    pty = await startPtyPair();
    device = await open(pty.b, 'w');
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await device.close();
    await pty.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function broker(port = 0, options = {}): Promise<TestBroker> {
    const started = await startTestBroker(port, options);
    cleanup.push(() => started.stop());
    return started;
  }

  async function subscribe(url: string): Promise<TestSubscriber> {
    const subscriber = await TestSubscriber.connect(url);
    cleanup.push(() => subscriber.end());
    return subscriber;
  }

  async function gateway(
    url: string,
    overrides: Record<string, unknown> = {},
    options: Partial<GatewayOptions> = {},
  ): Promise<Gateway> {
    const started = new Gateway({
      config: configFor(dir, pty.a, overrides),
      logger,
      mqtt: { url },
      reconnect: FAST_RECONNECT,
      ...options,
    });
    await started.start();
    cleanup.push(() => started.stop());
    return started;
  }

  async function send(...lines: string[]): Promise<void> {
    await device.write(lines.map((line) => `${line}\n`).join(''));
  }

  it('publishes calibrated, QC-flagged readings in consecutive batches and counts malformed lines', async () => {
    const { url } = await broker();
    const subscriber = await subscribe(url);
    const gw = await gateway(url);

    const online = await subscriber.until((s) => statuses(s).find((status) => status.state === 'online'));
    expect(online.sensors).toEqual([
      { sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]', intervalMs: 60000 },
      { sensor: 'cave-temp-1', quantity: 'air-temperature', unit: 'Cel', intervalMs: 60000 },
    ]);

    await send(
      `sensor=co2 value=812.5 time=${new Date(T0).toISOString()}`,
      'sensor=co2 value=abc',
      'this is not a reading',
      'sensor=temp value=6.5',
      'sensor=ch4 value=1.8',
      `sensor=co2 value=20000 time=${T0 + 60000}`,
      `sensor=co2 value=${'9'.repeat(1100)}`,
      `sensor=temp time=${T0 + 120000} value=7`,
    );
    const readings = await subscriber.until((s) => (allReadings(s).length >= 4 ? allReadings(s) : undefined));

    expect(readings.map(({ sensor, value, qc }) => ({ sensor, value, qc }))).toEqual([
      { sensor: 'cave-co2-1', value: 800, qc: 1 },
      { sensor: 'cave-temp-1', value: 13.5, qc: 2 },
      { sensor: 'cave-co2-1', value: 19987.5, qc: 4 },
      { sensor: 'cave-temp-1', value: 14.5, qc: 2 },
    ]);
    expect(readings[0]?.time).toBe(T0);
    expect(readings[0]).toMatchObject({ quantity: 'co2', unit: '[ppm]' });
    expect(Math.abs((readings[1]?.time as number) - Date.now())).toBeLessThan(10_000);
    const seqs = readingsOf(subscriber).map((batch) => batch.seq);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));

    // Each malformed line counted once per sensor it concerns; good lines flowed around them.
    const health = await subscriber.until((s) =>
      s
        .on('health')
        .map((m) => m.payload as ReturnType<Gateway['health']>)
        .find((h) => h.published.readings >= 4),
    );
    expect(health.sensors).toEqual([
      expect.objectContaining({ sensor: 'cave-co2-1', samples: 2, errors: 4 }),
      expect.objectContaining({ sensor: 'cave-temp-1', samples: 2, errors: 3 }),
    ]);
    expect(health.sensors[0]?.lastError).toMatch(/^LINE_TOO_LONG/);
    expect(health.outbox).toMatchObject({ pendingMessages: 0, droppedMessages: 0 });
    expect(gw.health().sensors).toEqual(health.sensors);

    await gw.stop();
    const late = await subscribe(url);
    const retained = await late.until((s) => s.on('status')[0]);
    expect(retained).toMatchObject({ retain: true, payload: { v: 1, state: 'offline' } });
  });

  it('on a clock that is not set, drops only the readings it stamps; the rest of their batch is published', async () => {
    const { url } = await broker();
    const subscriber = await subscribe(url);
    // A Pi booted without RTC or NTP: untimed lines get the gateway's own clock, still in 1999.
    const clock: Clock = { ...systemClock, now: () => Date.UTC(1999, 11, 31, 23, 59) };
    const gw = await gateway(url, { batch: { maxReadings: 3, maxDelayMs: 60_000 } }, { clock });
    const online = await subscriber.until((s) => statuses(s).find((status) => status.state === 'online'));
    expect(online.time).toBeUndefined();

    await send(
      `sensor=co2 value=812.5 time=${T0}`,
      'sensor=temp value=6.5',
      `sensor=co2 value=912.5 time=${T0 + 60000}`,
      `sensor=temp value=7 time=${T0 + 60000}`,
    );
    const batches = await subscriber.until((s) => (readingsOf(s).length > 0 ? readingsOf(s) : undefined));
    expect(batches[0]?.readings.map(({ sensor, time }) => [sensor, time])).toEqual([
      ['cave-co2-1', T0],
      ['cave-co2-1', T0 + 60000],
      ['cave-temp-1', T0 + 60000],
    ]);
    expect(gw.health().sensors).toEqual([
      { sensor: 'cave-co2-1', samples: 2, errors: 0 },
      {
        sensor: 'cave-temp-1',
        samples: 1,
        errors: 1,
        lastError:
          'READING_INVALID: reading dropped: sample time 1999-12-31T23:59:00.000Z is before 2000-01-01: the clock is not set',
      },
    ]);
    expect(gw.health().outbox).toMatchObject({ droppedMessages: 0, droppedReadings: 0 });

    await gw.stop();
    const offline = await subscriber.until((s) => statuses(s).find((status) => status.state === 'offline'));
    expect(offline).toEqual({ v: 1, state: 'offline' });
  });

  it('goes offline through its Last Will when its connection dies, then comes back online', async () => {
    const b = await broker();
    const clients = new Map<string, { conn: { destroy(): void } }>();
    b.aedes.on('client', (client) => clients.set(client.id, client as never));
    const subscriber = await subscribe(b.url);
    await gateway(b.url);
    await subscriber.until((s) => statuses(s).find((status) => status.state === 'online'));

    clients.get('fs-jinfo-cave-gw-1')?.conn.destroy();

    await subscriber.until((s) => statuses(s).find((status) => status.state === 'offline'));
    const states = await subscriber.until((s) => {
      const seen = statuses(s).map((status) => status.state);
      return seen.length >= 3 ? seen : undefined;
    });
    expect(states).toEqual(['online', 'offline', 'online']);
    expect(statuses(subscriber)[1]).toEqual({ v: 1, state: 'offline' });
  });

  it('keeps sampling while the broker is down and replays every reading in order when it returns', async () => {
    const first = await startTestBroker();
    const port = first.port;
    const before = await TestSubscriber.connect(first.url);
    const gw = await gateway(first.url, { batch: { maxReadings: 1, maxDelayMs: 50 } });
    await send('sensor=co2 value=500', 'sensor=co2 value=501');
    await before.until((s) => (allReadings(s).length >= 2 ? true : undefined));
    await before.end();
    await first.stop();

    const values = [502, 503, 504, 505, 506, 507];
    await send(...values.map((value) => `sensor=co2 value=${value}`));
    await vi.waitFor(() => expect(gw.health().outbox.pendingMessages).toBe(6), { timeout: 10_000 });

    // Hold the gateway's connection until the new subscriber is listening, so nothing passes unseen.
    let subscribed: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      subscribed = resolve;
    });
    const second = await broker(port, {
      authenticate: (
        client: { id: string },
        _u: unknown,
        _p: unknown,
        done: (e: null, ok: boolean) => void,
      ) => {
        if (client.id.startsWith('fs-')) void ready.then(() => done(null, true));
        else done(null, true);
      },
    });
    const after = await subscribe(second.url);
    subscribed();

    const batches = await after.until((s) => (allReadings(s).length >= 6 ? readingsOf(s) : undefined));
    expect(batches.flatMap((batch) => batch.readings.map((r) => r.value + 12.5))).toEqual(values);
    expect(batches.map((batch) => batch.seq)).toEqual([2, 3, 4, 5, 6, 7]);
    await vi.waitFor(() => expect(gw.health().outbox.pendingMessages).toBe(0));
  });
});
