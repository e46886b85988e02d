import { once } from 'node:events';
import { type AddressInfo, connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../../api/app.js';
import { LiveStore } from '../../../api/live/live-store.js';
import type { QueryPort } from '../../../api/ports.js';
import type { AlertEvent } from '../../../protocol/index.js';
import { bearer, TEST_KEYS } from '../../harness/api-keys.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const ALERT: AlertEvent = {
  v: 1,
  station: 'jinfo',
  rule: 'co2-high',
  kind: 'threshold',
  state: 'firing',
  severity: 'critical',
  message: 'CO2 above 5000 ppm in the cave',
  gateway: 'pi-1',
  sensor: 'co2-1',
  quantity: 'co2',
  unit: '[ppm]',
  value: 5200,
  op: 'above',
  threshold: 5000,
  time: T0,
  since: T0,
};

// The alert routes never touch InfluxDB.
const noQueries: QueryPort = {
  query: () => Promise.reject(new Error('unused')),
  stream: () => {
    throw new Error('unused');
  },
  ping: () => Promise.reject(new Error('unused')),
};

/** Reads server-sent events from a fetch body, resolving each as it arrives. */
class EventReader {
  private buffer = '';
  private readonly decoder = new TextDecoder();

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** The next block (event or comment) of the stream. */
  async next(): Promise<string> {
    while (!this.buffer.includes('\n\n')) {
      const { value, done } = await this.reader.read();
      if (done) throw new Error('stream ended');
      this.buffer += this.decoder.decode(value, { stream: true });
    }
    const end = this.buffer.indexOf('\n\n');
    const block = this.buffer.slice(0, end);
    this.buffer = this.buffer.slice(end + 2);
    return block;
  }

  async nextEvent(): Promise<{ event: string; data: unknown }> {
    for (;;) {
      const block = await this.next();
      if (block.startsWith(':')) continue;
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return { event, data: JSON.parse(data) };
    }
  }
}

let app: ApiApp;
let live: LiveStore;
let baseUrl: string;

beforeAll(async () => {
  live = new LiveStore();
  app = buildApp({
    keys: TEST_KEYS.store,
    queries: noQueries,
    live,
    logger: pino({ level: 'silent' }),
    sseHeartbeatMs: 50,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
});

async function open(): Promise<{ events: EventReader; abort: () => void; response: Response }> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/v1/alerts/stream`, {
    signal: controller.signal,
    headers: bearer(TEST_KEYS.admin),
  });
  if (response.body === null) throw new Error('no body');
  return { events: new EventReader(response.body.getReader()), abort: () => controller.abort(), response };
}

describe('GET /v1/alerts/stream', () => {
  it('sends the firing alerts first, then every transition, with pings between', async () => {
    live.applyAlert({ ...ALERT, rule: 'already-firing' });
    const { events, abort, response } = await open();
    try {
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(await events.nextEvent()).toEqual({
        event: 'alert',
        data: expect.objectContaining({
          rule: 'already-firing',
          state: 'firing',
          time: '2026-11-27T08:00:00.000Z',
        }),
      });
      expect(await events.next()).toBe(': ping');

      live.applyAlert(ALERT);
      expect(await events.nextEvent()).toEqual({
        event: 'alert',
        data: expect.objectContaining({
          rule: 'co2-high',
          state: 'firing',
          severity: 'critical',
          value: 5200,
        }),
      });
      live.applyAlert({ ...ALERT, state: 'clear', value: 4000, time: T0 + 60_000 });
      expect(await events.nextEvent()).toMatchObject({
        data: { rule: 'co2-high', state: 'clear', value: 4000 },
      });
    } finally {
      abort();
    }
  });

  it('cuts off a client that stops reading instead of holding its backlog in memory', async () => {
    const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `GET /v1/alerts/stream HTTP/1.1\r\nHost: api\r\nAuthorization: ${bearer(TEST_KEYS.admin).authorization}\r\n\r\n`,
    );
    try {
      await once(socket, 'data');
      socket.pause();
      await expect.poll(() => live.listenerCount('alert')).toBe(1);
      // An alert storm (600 bytes each) that the client never reads: some 30 MB.
      const storm = { ...ALERT, rule: 'storm' };
      for (let i = 0; i < 50_000; i++) live.applyAlert({ ...storm, state: 'firing', time: T0 + i });
      live.applyAlert({ ...storm, state: 'clear', time: T0 + 50_000 });
      // Before, the stream stayed open and every event waited in the API's memory.
      await expect.poll(() => live.listenerCount('alert')).toBe(0);
    } finally {
      socket.destroy();
    }
  });

  it('drops its listener when the client disconnects', async () => {
    const { events, abort } = await open();
    await events.next();
    expect(live.listenerCount('alert')).toBe(1);
    abort();
    await expect.poll(() => live.listenerCount('alert')).toBe(0);
  });

  // (Closing takes a few seconds here: undici opens a spare connection that the server waits out.)
  it('ends open streams when the app closes', async () => {
    const { events } = await open();
    await events.next();
    const closing = app.close();
    await expect(events.nextEvent()).rejects.toThrow('stream ended');
    await closing;
  });
});

describe('GET /v1/alerts/stream with nothing to say yet', () => {
  it('answers with its headers at once, before any event or ping', async () => {
    const quiet = buildApp({
      keys: TEST_KEYS.store,
      queries: noQueries,
      live: new LiveStore(),
      logger: pino({ level: 'silent' }),
      sseHeartbeatMs: 3_600_000,
    });
    await quiet.listen({ host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    try {
      const url = `http://127.0.0.1:${(quiet.server.address() as AddressInfo).port}/v1/alerts/stream`;
      const response = await fetch(url, { signal: controller.signal, headers: bearer(TEST_KEYS.admin) });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    } finally {
      controller.abort();
      await quiet.close();
    }
  });
});
