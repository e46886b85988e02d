import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Notification,
  notificationId,
  parseSubscribers,
  WebhookChannel,
} from '../../../notify/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const hanging: ServerResponse[] = [];
/** What the receiver does, by path. */
const behaviours: Record<string, (response: ServerResponse) => void> = {
  '/hang': (response) => hanging.push(response),
  '/busy': (response) => response.writeHead(503, { 'retry-after': '120' }).end(),
  '/gone': (response) => response.writeHead(410).end(),
  '/ok': (response) => response.writeHead(204).end(),
  '/moved': (response) => response.writeHead(301, { location: '/moved' }).end(),
  // A receiver that accepts and then answers with a body that never ends.
  '/endless': (response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const timer = setInterval(() => response.write(chunk), 5);
    response.on('close', () => clearInterval(timer));
  },
};
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => behaviours[request.url ?? '']?.(response));
});
let base = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const response of hanging) response.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function setup(path: string, timeoutMs = 300) {
  const subscribers = parseSubscribers(
    JSON.stringify({
      webhook: { timeoutMs },
      contacts: [{ name: 'ben', webhook: { url: `${base}${path}`, secret: SECRET } }],
      routes: [{ name: 'r', chain: ['ben'] }],
    }),
    'subscribers.json',
  );
  const time = Date.now();
  const key = {
    station: 'jinfo',
    rule: 'cave-co2-high',
    since: time,
    reason: 'firing',
    n: 0,
    contact: 'ben',
    channel: 'webhook',
    route: 'r',
  } as const;
  const notification: Notification = {
    ...key,
    id: notificationId(key),
    plannedAt: time,
    event: {
      v: 1,
      station: 'jinfo',
      rule: 'cave-co2-high',
      kind: 'threshold',
      state: 'firing',
      severity: 'warning',
      message: 'CO2 high',
      time,
      since: time,
    },
  };
  const contact = subscribers.contacts[0];
  if (contact === undefined) throw new Error('no contact');
  return { subscribers, notification, contact };
}

describe('webhook channel against a real HTTP server', () => {
  it('gives up an attempt at its timeout, as one to retry', async () => {
    const { subscribers, notification, contact } = setup('/hang');
    const result = await new WebhookChannel().send(notification, contact, subscribers);
    expect(result).toMatchObject({ ok: false, retryable: true });
  });

  it('passes on Retry-After of a 503, and refuses to retry a 410', async () => {
    const busy = setup('/busy');
    expect(await new WebhookChannel().send(busy.notification, busy.contact, busy.subscribers)).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 120_000,
    });
    const gone = setup('/gone');
    expect(await new WebhookChannel().send(gone.notification, gone.contact, gone.subscribers)).toMatchObject({
      ok: false,
      retryable: false,
    });
    const ok = setup('/ok');
    expect(await new WebhookChannel().send(ok.notification, ok.contact, ok.subscribers)).toEqual({
      ok: true,
    });
  });

  it('neither follows nor retries a redirect (one to itself included): only a new URL can fix it', async () => {
    const { subscribers, notification, contact } = setup('/moved');
    const result = await new WebhookChannel().send(notification, contact, subscribers);
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringMatching(/answered 301$/),
    });
  });

  it('takes a 2xx as sent without reading a body that never ends (nor holding the attempt for it)', async () => {
    const { subscribers, notification, contact } = setup('/endless', 5000);
    const started = Date.now();
    const result = await new WebhookChannel().send(notification, contact, subscribers);
    expect(result).toEqual({ ok: true });
    // Before, the body was read to its end: an endless one held the attempt (and its memory) until the timeout.
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
