import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Journal } from '../../../notify/delivery/journal.js';
import { NotifyConfigSchema, NotifyService } from '../../../notify/index.js';
import { type AlertEventInput, alertTopic } from '../../../protocol/index.js';
import { tempDir } from '../../harness/temp-dir.js';
import { type RunningBroker, startBroker } from '../broker/broker-fixture.js';
import { startWebhookReceiver, type WebhookReceiver } from './receivers.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SINCE = Date.now() - 60_000;

let broker: RunningBroker<'ingest' | 'notify'>;
let hook: WebhookReceiver;
let ingest: MqttClient;
let service: NotifyService;
const logs: string[] = [];

function event(rule: string): AlertEventInput {
  return {
    v: 1,
    station: 'xuefeng',
    rule,
    state: 'firing',
    severity: 'critical',
    message: `${rule} over its limit`,
    time: SINCE,
    since: SINCE,
  };
}

beforeAll(async () => {
  broker = await startBroker({
    accounts: { ingest: { kind: 'service', name: 'ingest' }, notify: { kind: 'service', name: 'notify' } },
  });
  hook = await startWebhookReceiver(SECRET);
  const dataDir = tempDir('fs-notify-journal-failure');
  const subscribersFile = join(dataDir, 'subscribers.yaml');
  await writeFile(
    subscribersFile,
    JSON.stringify({
      contacts: [{ name: 'ana', webhook: { url: hook.url, secret: SECRET } }],
      routes: [{ name: 'oncall', chain: ['ana'] }],
    }),
  );
  ingest = await broker.connect(
    broker.accounts.ingest.username,
    broker.accounts.ingest.password,
    'test-ingest',
  );
  service = new NotifyService({
    config: NotifyConfigSchema.parse({
      mqtt: { url: `mqtt://127.0.0.1:${broker.port}`, ...broker.accounts.notify, reconnectMs: 100 },
      subscribersFile,
      dataDir,
      retry: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0, giveUpAfterMs: 60_000 },
      tickMs: 20,
      settleMs: 0,
    }),
    logger: pino({ level: 'debug' }, { write: (line: string) => logs.push(line) }),
  });
  await service.start();
});

afterAll(async () => {
  vi.restoreAllMocks();
  await service?.stop();
  await ingest?.endAsync(true);
  await Promise.all([hook?.stop(), broker?.stop()]);
});

describe('notifier whose journal fails to write (disk full)', () => {
  it('keeps taking messages, reports the failure, and sends once the journal writes again', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    // The first pass after the poisoned message finds the disk full; later passes find room again.
    const appendPlanned = vi.spyOn(Journal.prototype, 'appendPlanned').mockRejectedValueOnce(full);
    await ingest.publishAsync(alertTopic(event('cave-flood')), JSON.stringify(event('cave-flood')), {
      qos: 1,
      retain: true,
    });
    await vi.waitFor(() => expect(appendPlanned).toHaveBeenCalled(), { timeout: 5000 });
    await ingest.publishAsync(alertTopic(event('mast-tilt')), JSON.stringify(event('mast-tilt')), {
      qos: 1,
      retain: true,
    });
    // Before the fix the first message's `done` was never called and MQTT.js handled nothing after it.
    await vi.waitFor(() => expect(service.stats().messages).toBe(2), { timeout: 5000 });
    await hook.waiter.until(() =>
      ['cave-flood', 'mast-tilt'].every((rule) => hook.requests.some((r) => r.body.data.rule === rule)),
    );
    expect(service.stats().journalFailures).toBeGreaterThanOrEqual(1);
    expect(logs.some((line) => line.includes('cannot journal notifications'))).toBe(true);
  }, 20_000);
});
