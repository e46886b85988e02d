import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, NotifyConfigSchema, NotifyService, notificationId } from '../../../notify/index.js';
import {
  type AlertDelivery,
  AlertDeliverySchema,
  type AlertEventInput,
  alertActionTopic,
  alertTopic,
  SUBSCRIPTIONS,
} from '../../../protocol/index.js';
import { tempDir } from '../../harness/temp-dir.js';
import { makeTestCertificates, type TestCertificates } from '../../harness/tls-certs.js';
import { type RunningBroker, startBroker } from '../broker/broker-fixture.js';
import {
  type SmtpReceiver,
  startSmtpReceiver,
  startWebhookReceiver,
  Waiter,
  type WebhookReceiver,
} from './receivers.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SMTP_LOGIN = { user: 'alerts', pass: 'correct horse battery staple' };
const SINCE = Date.now() - 60_000;

let broker: RunningBroker<'ingest' | 'notify'>;
let certs: TestCertificates;
let smtp: SmtpReceiver;
let hook: WebhookReceiver;
let ingest: MqttClient;
let dataDir: string;
let subscribersFile: string;
let service: NotifyService;
/** The notifier's clock runs ahead of the real one by this much, so tests can make time pass. */
let offsetMs = 0;
const logs: string[] = [];
const deliveries: AlertDelivery[] = [];
const deliveryWaiter = new Waiter();

function startService(): Promise<void> {
  service = new NotifyService({
    config: NotifyConfigSchema.parse({
      mqtt: {
        url: `mqtt://127.0.0.1:${broker.port}`,
        ...broker.accounts.notify,
        reconnectMs: 100,
      },
      subscribersFile,
      dataDir,
      retry: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0, giveUpAfterMs: 60_000 },
      tickMs: 20,
      settleMs: 200,
    }),
    logger: pino({ level: 'debug' }, { write: (line: string) => logs.push(line) }),
    now: () => Date.now() + offsetMs,
    env: { TEST_SMTP_PASSWORD: SMTP_LOGIN.pass },
  });
  return service.start();
}

function event(rule: string, overrides: Partial<AlertEventInput> = {}): AlertEventInput {
  return {
    v: 1,
    station: 'xuefeng',
    rule,
    state: 'firing',
    severity: 'critical',
    message: `${rule} over its limit`,
    sensor: 'load-1',
    value: 12.5,
    unit: 'kg/m',
    op: 'above',
    threshold: 10,
    time: SINCE,
    since: SINCE,
    ...overrides,
  };
}

/** As the ingest publishes events: retained, QoS 1, as a service account. */
async function publishEvent(input: AlertEventInput): Promise<void> {
  await ingest.publishAsync(alertTopic(input), JSON.stringify(input), { qos: 1, retain: true });
}

function mailsOf(rule: string) {
  return smtp.mails.filter((mail) => mail.subject.includes(` ${rule} `));
}

function hooksOf(rule: string) {
  return hook.requests.filter((request) => request.body.data.rule === rule);
}

/** Lets the notifier run `count` more planning passes: what it would do now, it has done. */
async function passes(count: number): Promise<void> {
  const target = service.stats().planningPasses + count;
  while (service.stats().planningPasses < target) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Waits until the notifier has nothing to send and nothing under way. */
async function settled(): Promise<void> {
  for (;;) {
    const s = service.stats();
    if (s.pending === 0 && s.retrying === 0 && s.sending === 0) return;
    await passes(1);
  }
}

beforeAll(async () => {
  broker = await startBroker({
    accounts: { ingest: { kind: 'service', name: 'ingest' }, notify: { kind: 'service', name: 'notify' } },
  });
  certs = await makeTestCertificates([]);
  smtp = await startSmtpReceiver(certs.server, SMTP_LOGIN);
  hook = await startWebhookReceiver(SECRET);
  dataDir = tempDir('fs-notify');
  subscribersFile = join(dataDir, 'subscribers.yaml');
  await writeFile(
    subscribersFile,
    JSON.stringify({
      apiUrl: 'http://127.0.0.1:8080',
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'starttls',
        user: SMTP_LOGIN.user,
        passwordEnv: 'TEST_SMTP_PASSWORD',
        from: 'alerts@example.org',
        caFile: certs.caFile,
      },
      contacts: [{ name: 'ana', email: 'ana@example.org', webhook: { url: hook.url, secret: SECRET } }],
      routes: [{ name: 'oncall', chain: ['ana'], repeatEvery: 1, flapWindow: 0.001 }],
    }),
  );
  ingest = await broker.connect(
    broker.accounts.ingest.username,
    broker.accounts.ingest.password,
    'test-ingest',
  );
  ingest.on('message', (_topic, payload) => {
    deliveries.push(AlertDeliverySchema.parse(JSON.parse(payload.toString())));
    deliveryWaiter.changed();
  });
  await ingest.subscribeAsync(`${SUBSCRIPTIONS.alertActions.slice(0, -2)}/delivery`, { qos: 1 });
  await startService();
});

afterAll(async () => {
  await service?.stop();
  await ingest?.endAsync(true);
  await Promise.all([smtp?.stop(), hook?.stop(), broker?.stop(), certs?.remove()]);
});

describe('notifier on a real broker, SMTP server and webhook receiver', () => {
  it('sends exactly one email (over STARTTLS, logged in) and one signed webhook for a firing event', async () => {
    await publishEvent(event('conductor-icing'));
    await deliveryWaiter.until(() => deliveries.filter((d) => d.outcome === 'sent').length >= 2);
    await settled();
    await passes(3);
    expect(mailsOf('conductor-icing')).toHaveLength(1);
    const [mail] = mailsOf('conductor-icing');
    expect(mail?.subject).toBe('[CRITICAL] xuefeng conductor-icing firing: conductor-icing over its limit');
    expect(mail?.secure).toBe(true);
    expect(mail?.user).toBe(SMTP_LOGIN.user);
    expect(mail?.to).toEqual(['ana@example.org']);
    expect(mail?.raw).toContain('/v1/alerts/xuefeng/conductor-icing/ack');
    expect(hooksOf('conductor-icing')).toHaveLength(1);
    const [request] = hooksOf('conductor-icing');
    expect(request?.verified).toBe(true);
    expect(request?.body.type).toBe('fieldstation.alert.firing');
    expect(deliveries.map((d) => `${d.channel} ${d.outcome} ${d.reason} ${d.subscriber}`).sort()).toEqual([
      'email sent firing ana',
      'webhook sent firing ana',
    ]);
    expect(deliveries.find((d) => d.channel === 'webhook')?.id).toBe(request?.id);
  });

  it('retries a webhook answered with 500 and delivers it once', async () => {
    hook.answers.push(500);
    await publishEvent(event('cave-flood'));
    await hook.waiter.until(() => hooksOf('cave-flood').some((request) => request.status === 200));
    await settled();
    const requests = hooksOf('cave-flood');
    expect(requests.map((request) => request.status)).toEqual([500, 200]);
    expect(new Set(requests.map((request) => request.id)).size).toBe(1);
    await deliveryWaiter.until(() =>
      deliveries.some((d) => d.rule === 'cave-flood' && d.channel === 'webhook' && d.outcome === 'sent'),
    );
    const outcomes = deliveries
      .filter((d) => d.rule === 'cave-flood' && d.channel === 'webhook')
      .map((d) => `${d.outcome}#${d.attempt}`);
    expect(outcomes).toEqual(['retrying#1', 'sent#2']);
    expect(mailsOf('cave-flood')).toHaveLength(1);
  });

  it('repeats while unacknowledged, and an acknowledgement stops the repeats', async () => {
    offsetMs += 61_000;
    await smtp.waiter.until(() => mailsOf('conductor-icing').length === 2);
    expect(mailsOf('conductor-icing')[1]?.subject).toContain('still firing');
    await settled();
    const messages = service.stats().messages;
    for (const rule of ['conductor-icing', 'cave-flood']) {
      const ack = { v: 1, station: 'xuefeng', rule, since: SINCE, by: 'ana', time: Date.now() };
      await ingest.publishAsync(alertActionTopic(ack, 'ack'), JSON.stringify(ack), { qos: 1, retain: true });
    }
    while (service.stats().messages < messages + 2) await passes(1);
    await settled();
    const mails = smtp.mails.length;
    const hooks = hook.requests.length;
    offsetMs += 3 * 61_000;
    await passes(5);
    await settled();
    expect(smtp.mails.length).toBe(mails);
    expect(hook.requests.length).toBe(hooks);
  });

  it('does not send the same notification again after a restart on the same data dir', async () => {
    const mails = smtp.mails.length;
    const hooks = hook.requests.length;
    await service.stop();
    await startService();
    // The retained events and acks come again with the subscription.
    while (service.stats().messages < 4) await passes(1);
    await passes(5);
    await settled();
    expect(smtp.mails.length).toBe(mails);
    expect(hook.requests.length).toBe(hooks);
    expect(
      mailsOf('conductor-icing').filter((mail) => mail.subject.includes('conductor-icing firing:')),
    ).toHaveLength(1);
  });

  it('sends after a restart what was planned before it and not sent', async () => {
    await service.stop();
    // As a notifier that crashed right after journalling a notification leaves its journal.
    const planned = event('gateway-silent', { kind: 'gateway-offline', sensor: undefined, value: undefined });
    const key = {
      station: 'xuefeng',
      rule: 'gateway-silent',
      since: SINCE,
      reason: 'firing',
      n: 0,
      contact: 'ana',
      channel: 'webhook',
      route: 'oncall',
    } as const;
    const notification = {
      ...key,
      id: notificationId(key),
      plannedAt: Date.now(),
      event: planned,
    };
    await appendFile(
      join(dataDir, 'notify', JOURNAL_FILE),
      `${JSON.stringify({ t: 'planned', notification })}\n`,
    );
    await startService();
    await hook.waiter.until(() => hooksOf('gateway-silent').length === 1);
    await settled();
    expect(hooksOf('gateway-silent')[0]?.id).toBe(notification.id);
    expect(mailsOf('gateway-silent')).toHaveLength(0);
  });

  it('sends one "cleared" to those told of the firing', async () => {
    await publishEvent(event('conductor-icing', { state: 'clear', time: Date.now() }));
    await hook.waiter.until(() =>
      hooksOf('conductor-icing').some((request) => request.body.type === 'fieldstation.alert.clear'),
    );
    await smtp.waiter.until(() =>
      mailsOf('conductor-icing').some((mail) => mail.subject.includes('cleared')),
    );
    await settled();
    await passes(5);
    expect(mailsOf('conductor-icing').filter((mail) => mail.subject.includes('cleared'))).toHaveLength(1);
    expect(mailsOf('conductor-icing').at(-1)?.subject).toBe(
      '[CRITICAL] xuefeng conductor-icing cleared: conductor-icing over its limit',
    );
    expect(
      hooksOf('conductor-icing').filter((request) => request.body.type === 'fieldstation.alert.clear'),
    ).toHaveLength(1);
  });
});
