import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/errors.js';
import { LiveSubscriber } from '../../../api/live/live-subscriber.js';
import { freePort } from '../../../influx/index.js';
import type { AlertEvent } from '../../../protocol/index.js';
import { startTestBroker, type TestBroker } from './mqtt-broker.js';

const logger = pino({ level: 'silent' });
const T0 = Date.UTC(2026, 10, 27, 8);
let broker: TestBroker;
let publisher: MqttClient;

beforeAll(async () => {
  broker = await startTestBroker();
  publisher = await mqtt.connectAsync(broker.url, { clientId: 'test-publisher', protocolVersion: 4 });
});

afterAll(async () => {
  await publisher?.endAsync();
  await broker?.stop();
});

const publish = (topic: string, payload: unknown, retain = false) =>
  publisher.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), {
    qos: 1,
    retain,
  });

const alert = (state: 'firing' | 'clear'): AlertEvent => ({
  v: 1,
  station: 'xuefeng',
  rule: 'icing',
  kind: 'threshold',
  state,
  severity: 'warning',
  message: 'ice on the anemometer',
  gateway: 'pi-1',
  sensor: 'ice-1',
  quantity: 'ice-thickness',
  unit: 'mm',
  value: 6,
  op: 'above',
  threshold: 5,
  time: T0,
  since: T0,
});

describe('LiveSubscriber against a real Aedes', () => {
  it('learns retained state on start, follows live messages and ignores invalid ones', async () => {
    const sensors = [{ sensor: 'ice-1', quantity: 'ice-thickness', unit: 'mm', intervalMs: 60_000 }];
    await publish('fs/v1/xuefeng/pi-1/status', { v: 1, state: 'online', time: T0, sensors }, true);
    await publish('fs/v1/alerts/xuefeng/icing', alert('firing'), true);

    const subscriber = new LiveSubscriber({ mqtt: { url: broker.url, clientId: 'fs-api-test' }, logger });
    const { store } = subscriber;
    const firstAlert = new Promise<AlertEvent>((resolve) => store.onAlert(resolve));
    await subscriber.start();
    try {
      expect(store.isConnected()).toBe(true);
      await vi.waitFor(() =>
        expect(store.gateway('xuefeng', 'pi-1')).toMatchObject({ state: 'online', since: T0, sensors }),
      );
      expect((await firstAlert).state).toBe('firing');

      await publish('fs/v1/xuefeng/pi-1/status', '{"v":1,"state":"sleepy"}');
      await publish('fs/v1/xuefeng/pi-1/health', {
        v: 1,
        time: T0,
        uptimeS: 5,
        outbox: { pendingMessages: 1, diskBytes: 10, droppedMessages: 0, droppedReadings: 0 },
        published: { messages: 1, readings: 1 },
        sensors: [],
      });
      await vi.waitFor(() => expect(store.gateway('xuefeng', 'pi-1')?.health?.report.uptimeS).toBe(5));
      expect(store.gateway('xuefeng', 'pi-1')?.state).toBe('online');

      const cleared = new Promise<AlertEvent>((resolve) => store.onAlert(resolve));
      await publish('fs/v1/alerts/xuefeng/icing', alert('clear'), true);
      expect((await cleared).state).toBe('clear');

      await publish('fs/v1/xuefeng/pi-1/status', { v: 1, state: 'offline' }, true);
      await vi.waitFor(() => expect(store.gateway('xuefeng', 'pi-1')?.state).toBe('offline'));
      expect(store.gateway('xuefeng', 'pi-1')?.sensors).toEqual(sensors);
    } finally {
      await subscriber.stop();
    }
    expect(store.isConnected()).toBe(false);
  });

  it('refuses to start when the broker cannot be reached', async () => {
    const url = `mqtt://127.0.0.1:${await freePort()}`;
    const subscriber = new LiveSubscriber({
      mqtt: { url, clientId: 'fs-api-test-2' },
      logger,
      connectTimeoutMs: 500,
    });
    const failure = subscriber.start();
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ code: 'MQTT_UNREACHABLE' });
  });
});
