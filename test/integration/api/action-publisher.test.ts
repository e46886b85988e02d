import { once } from 'node:events';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { Aedes, type AuthorizePublishHandler } from 'aedes';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSubscriber } from '../../../api/live/live-subscriber.js';
import type { AlertSilence } from '../../../protocol/index.js';

const NOW = Date.now();
const silence: AlertSilence = {
  v: 1,
  station: 'jinfo',
  rule: 'co2-high',
  until: NOW + 3_600_000,
  by: 'li',
  time: NOW,
};

/** While set, the broker holds every publish without answering: no PUBACK ever comes. */
let holding = false;
const authorizePublish: AuthorizePublishHandler = (_client, _packet, callback) => {
  if (!holding) callback(null);
};

let aedes: Aedes;
let server: Server;
let url: string;

beforeAll(async () => {
  aedes = await Aedes.createBroker({ authorizePublish });
  server = createServer((socket) => aedes.handle(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => aedes.close(() => resolve()));
  server.close();
});

describe('LiveSubscriber as the routes’ publisher', () => {
  it('resolves on the PUBACK and applies the message to its store at once', async () => {
    const live = new LiveSubscriber({
      mqtt: { url, clientId: 'fs-api-pub-1' },
      logger: pino({ level: 'silent' }),
    });
    await live.start();
    try {
      await live.publish({ kind: 'silence', body: silence });
      expect(live.store.silence(silence)).toEqual(silence);
      await live.publish({ kind: 'lift', address: { station: 'jinfo', rule: 'co2-high' } });
      expect(live.store.silence(silence)).toBeUndefined();
    } finally {
      await live.stop();
    }
  });

  it('gives a 503 MQTT_UNREACHABLE when the broker does not confirm in time, and leaves the store alone', async () => {
    const live = new LiveSubscriber({
      mqtt: { url, clientId: 'fs-api-pub-2' },
      logger: pino({ level: 'silent' }),
      publishTimeoutMs: 200,
    });
    await live.start();
    holding = true;
    try {
      await expect(live.publish({ kind: 'silence', body: silence })).rejects.toMatchObject({
        code: 'MQTT_UNREACHABLE',
        statusCode: 503,
        message: expect.stringMatching(/within 200 ms/),
      });
      expect(live.store.silence(silence)).toBeUndefined();
    } finally {
      holding = false;
      await live.stop();
    }
  });

  it('refuses at once when not connected, so nothing is sent later behind the caller’s back', async () => {
    const live = new LiveSubscriber({
      mqtt: { url, clientId: 'fs-api-pub-3' },
      logger: pino({ level: 'silent' }),
    });
    await expect(live.publish({ kind: 'silence', body: silence })).rejects.toMatchObject({
      code: 'MQTT_UNREACHABLE',
      message: expect.stringMatching(/not connected/),
    });
  });
});
