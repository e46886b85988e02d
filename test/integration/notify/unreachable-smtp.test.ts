import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyConfigSchema, NotifyService } from '../../../notify/index.js';
import {
  type AlertDelivery,
  AlertDeliverySchema,
  type AlertEventInput,
  alertTopic,
} from '../../../protocol/index.js';
import { tempDir } from '../../harness/temp-dir.js';
import { type RunningBroker, startBroker } from '../broker/broker-fixture.js';
import { startWebhookReceiver, Waiter, type WebhookReceiver } from './receivers.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let broker: RunningBroker<'ingest' | 'notify'>;
let hook: WebhookReceiver;
let silentSmtp: Server;
const sockets: Socket[] = [];
let ingest: MqttClient;
let service: NotifyService;
const deliveries: AlertDelivery[] = [];
const waiter = new Waiter();

beforeAll(async () => {
  broker = await startBroker({
    accounts: { ingest: { kind: 'service', name: 'ingest' }, notify: { kind: 'service', name: 'notify' } },
  });
  hook = await startWebhookReceiver(SECRET);
  // An SMTP server that accepts connections and never greets: the worst kind of unreachable.
  silentSmtp = createServer((socket) => sockets.push(socket));
  silentSmtp.listen(0, '127.0.0.1');
  await once(silentSmtp, 'listening');
  const dataDir = tempDir('fs-notify-smtp-down');
  const subscribersFile = join(dataDir, 'subscribers.yaml');
  await writeFile(
    subscribersFile,
    JSON.stringify({
      smtp: {
        host: '127.0.0.1',
        port: (silentSmtp.address() as AddressInfo).port,
        security: 'none',
        from: 'alerts@example.org',
        timeoutMs: 1500,
      },
      contacts: [
        { name: 'ana', email: 'ana@example.org' },
        { name: 'ben', webhook: { url: hook.url, secret: SECRET } },
      ],
      routes: [
        { name: 'oncall', chain: ['ana'] },
        { name: 'pager', chain: ['ben'] },
      ],
    }),
  );
  ingest = await broker.connect(
    broker.accounts.ingest.username,
    broker.accounts.ingest.password,
    'test-ingest',
  );
  ingest.on('message', (_topic, payload) => {
    deliveries.push(AlertDeliverySchema.parse(JSON.parse(payload.toString())));
    waiter.changed();
  });
  await ingest.subscribeAsync('fs/v1/alerts/+/+/delivery', { qos: 1 });
  service = new NotifyService({
    config: NotifyConfigSchema.parse({
      mqtt: { url: `mqtt://127.0.0.1:${broker.port}`, ...broker.accounts.notify },
      subscribersFile,
      dataDir,
      retry: { initialDelayMs: 60_000, jitter: 0 },
      tickMs: 20,
      settleMs: 0,
    }),
    logger: pino({ level: 'silent' }),
  });
  await service.start();
});

afterAll(async () => {
  await service?.stop();
  await ingest?.endAsync(true);
  for (const socket of sockets) socket.destroy();
  await Promise.all([hook?.stop(), broker?.stop(), new Promise((resolve) => silentSmtp?.close(resolve))]);
});

describe('an unreachable SMTP server', () => {
  it('holds up neither the webhook nor the other contact, and its email is retried', async () => {
    const time = Date.now();
    const event: AlertEventInput = {
      v: 1,
      station: 'jinfo',
      rule: 'cave-co2-high',
      state: 'firing',
      severity: 'critical',
      message: 'CO2 2100 ppm above 1500',
      time,
      since: time,
    };
    await ingest.publishAsync(alertTopic(event), JSON.stringify(event), { qos: 1, retain: true });
    await waiter.until(() => deliveries.some((d) => d.channel === 'email'));
    const order = deliveries.map((d) => `${d.subscriber} ${d.channel} ${d.outcome}`);
    expect(order).toEqual(['ben webhook sent', 'ana email retrying']);
    expect(hook.requests).toHaveLength(1);
    expect(deliveries[1]?.error).toMatch(/SMTP 127\.0\.0\.1:\d+: /);
    expect(service.stats().retrying).toBe(1);
  });
});
