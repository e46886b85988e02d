import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { applyLiveMessage } from '../../../api/live/live-messages.js';
import { LiveStore } from '../../../api/live/live-store.js';
import type { AlertEvent } from '../../../protocol/index.js';

const logger = pino({ level: 'silent' });
const NOW = Date.UTC(2026, 10, 27, 12);
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

const ALERT = {
  v: 1,
  station: 'jinfo',
  rule: 'co2-high',
  state: 'firing',
  severity: 'warning',
  message: 'CO2 above 5000 ppm',
  gateway: 'pi-1',
  sensor: 'co2-1',
  quantity: 'co2',
  unit: '[ppm]',
  value: 5200,
  op: 'above',
  threshold: 5000,
  time: NOW - 1000,
  since: NOW - 1000,
} as const;

function storeWithEvents() {
  const store = new LiveStore(() => NOW);
  const events: AlertEvent[] = [];
  store.onAlert((event) => events.push(event));
  return { store, events };
}

describe('live state from MQTT messages', () => {
  it('keeps the gateway state, its announced sensors and when it changed', () => {
    const { store } = storeWithEvents();
    const sensors = [{ sensor: 'co2-1', quantity: 'co2', unit: '[ppm]', intervalMs: 60_000 }];
    applyLiveMessage(store, 'fs/v1/jinfo/pi-1/status', json({ v: 1, state: 'online', sensors }), logger);
    expect(store.gateway('jinfo', 'pi-1')).toMatchObject({ state: 'online', since: NOW, sensors });

    // The Last Will has no sensor list: the announced sensors stay.
    const willTime = NOW + 5000;
    applyLiveMessage(
      store,
      'fs/v1/jinfo/pi-1/status',
      json({ v: 1, state: 'offline', time: willTime }),
      logger,
    );
    expect(store.gateway('jinfo', 'pi-1')).toMatchObject({ state: 'offline', since: willTime, sensors });

    applyLiveMessage(store, 'fs/v1/jinfo/pi-1/status', Buffer.alloc(0), logger);
    expect(store.gateways()).toEqual([]);
  });

  it('keeps the last health report', () => {
    const { store } = storeWithEvents();
    const report = {
      v: 1,
      time: NOW,
      uptimeS: 10,
      outbox: { pendingMessages: 0, diskBytes: 0, droppedMessages: 0, droppedReadings: 0 },
      published: { messages: 3, readings: 9 },
      sensors: [],
    };
    applyLiveMessage(store, 'fs/v1/jinfo/pi-1/health', json(report), logger);
    expect(store.gateway('jinfo', 'pi-1')).toMatchObject({
      state: 'unknown',
      health: { receivedAt: NOW, report },
    });
  });

  it('ignores invalid messages and foreign topics', () => {
    const { store } = storeWithEvents();
    applyLiveMessage(store, 'fs/v1/jinfo/pi-1/status', Buffer.from('{not json'), logger);
    applyLiveMessage(store, 'fs/v1/jinfo/pi-1/status', json({ v: 2, state: 'online' }), logger);
    applyLiveMessage(store, 'fs/v1/jinfo/pi-1/health', json({ v: 1 }), logger);
    applyLiveMessage(store, 'fs/v1/alerts/jinfo/other-rule', json(ALERT), logger);
    applyLiveMessage(store, 'elsewhere/x', json({}), logger);
    expect(store.gateways()).toEqual([]);
    expect(store.alerts()).toEqual([]);
  });

  it('emits each alert transition once, not retained repeats', () => {
    const { store, events } = storeWithEvents();
    const topic = 'fs/v1/alerts/jinfo/co2-high';
    applyLiveMessage(store, topic, json(ALERT), logger);
    applyLiveMessage(store, topic, json(ALERT), logger);
    applyLiveMessage(store, topic, json({ ...ALERT, state: 'clear', time: NOW }), logger);
    expect(events.map((e) => e.state)).toEqual(['firing', 'clear']);
    expect(store.alerts()).toHaveLength(1);
    expect(store.alerts()[0]?.state).toBe('clear');
    applyLiveMessage(store, topic, Buffer.alloc(0), logger);
    expect(store.alerts()).toEqual([]);
  });

  it('unsubscribes listeners', () => {
    const { store, events } = storeWithEvents();
    const extra: AlertEvent[] = [];
    const off = store.onAlert((event) => extra.push(event));
    off();
    applyLiveMessage(store, 'fs/v1/alerts/jinfo/co2-high', json(ALERT), logger);
    expect(events).toHaveLength(1);
    expect(extra).toHaveLength(0);
  });
});
