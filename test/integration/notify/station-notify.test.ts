import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { provisionAccount } from '../../../broker/index.js';
import { StationServer } from '../../../cli/station-server.js';
import { type AlertEventInput, alertTopic } from '../../../protocol/index.js';
import { addKeyIn, bearer } from '../../harness/api-keys.js';
import { LogRecorder } from '../../harness/log-recorder.js';
import { startWebhookReceiver, type WebhookReceiver } from './receivers.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function station(subscribersFile?: string) {
  const dir = await mkdtemp(join(tmpdir(), 'fs-station-notify-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const credentialsFile = join(dataDir, 'broker', 'accounts.json');
  const tester = await provisionAccount(credentialsFile, { kind: 'service', name: 'tester' });
  const logs = new LogRecorder();
  const server = new StationServer({
    dataDir,
    credentialsFile,
    mqtt: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    ...(subscribersFile === undefined ? {} : { subscribersFile }),
    logger: logs.logger(),
  });
  const key = await addKeyIn(dataDir, { role: 'technician' });
  const addresses = await server.start();
  cleanup.push(() => server.stop());
  return { addresses, logs, tester, dir, key };
}

describe('the notifier inside fieldstation up', () => {
  let hook: WebhookReceiver;

  it('runs with a subscribers file: an alert event becomes a signed webhook, counted on /metrics', async () => {
    hook = await startWebhookReceiver(SECRET);
    cleanup.push(() => hook.stop());
    const dir = await mkdtemp(join(tmpdir(), 'fs-subscribers-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const subscribersFile = join(dir, 'subscribers.yaml');
    await writeFile(
      subscribersFile,
      JSON.stringify({
        contacts: [{ name: 'ops', webhook: { url: hook.url, secret: SECRET } }],
        routes: [{ name: 'all', chain: ['ops'] }],
      }),
    );
    const { addresses, logs, tester, key } = await station(subscribersFile);
    await logs.waitFor('notifier started');
    const client = await connectAsync(`mqtt://127.0.0.1:${addresses.mqtt.port}`, {
      ...tester,
      clientId: 'tester',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    cleanup.push(() => client.endAsync(true));
    const time = Date.now();
    const event: AlertEventInput = {
      v: 1,
      station: 'jinfo',
      rule: 'cave-co2-high',
      state: 'firing',
      severity: 'warning',
      message: 'CO2 1800 ppm above 1500',
      time,
      since: time,
    };
    await client.publishAsync(alertTopic(event), JSON.stringify(event), { qos: 1, retain: true });
    await hook.waiter.until(() => hook.requests.length === 1);
    expect(hook.requests[0]?.verified).toBe(true);
    await logs.waitFor('notification sent');
    const metrics = await (
      await fetch(`http://127.0.0.1:${addresses.http.port}/metrics`, { headers: bearer(key) })
    ).text();
    expect(metrics).toContain('fieldstation_notify_deliveries_total{channel="webhook",outcome="sent"} 1');
  });

  it('says how to turn notifications on when no subscribers file is given', async () => {
    const { logs } = await station();
    const off = logs.records.find((record) => record.msg.startsWith('alert notifications are off'));
    expect(off?.msg).toContain('FS_SUBSCRIBERS_FILE');
  });
});
