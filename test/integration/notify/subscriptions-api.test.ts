import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { SubscriptionsView } from '../../../api/index.js';
import { provisionAccount } from '../../../broker/index.js';
import { StationServer } from '../../../cli/station-server.js';
import { loadSubscribers } from '../../../notify/index.js';
import { type AlertEventInput, alertTopic } from '../../../protocol/index.js';
import { addKeyIn, bearer } from '../../harness/api-keys.js';
import { LogRecorder } from '../../harness/log-recorder.js';
import { startWebhookReceiver } from './receivers.js';

const OPS_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const LAB_SECRET = 'whsec_NRFwz8hOsu445qWhWYDHO0o81EqkdIlr0VJfIymn/b8=';
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('subscriptions replaced through the API of fieldstation up', () => {
  it('a PUT adding a route for a new webhook contact is reloaded by the notifier, whose next alert reaches it', async () => {
    const ops = await startWebhookReceiver(OPS_SECRET);
    cleanup.push(() => ops.stop());
    const lab = await startWebhookReceiver(LAB_SECRET);
    cleanup.push(() => lab.stop());
    const dir = await mkdtemp(join(tmpdir(), 'fs-subscriptions-api-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const subscribersFile = join(dir, 'subscribers.yaml');
    await writeFile(
      subscribersFile,
      JSON.stringify({
        contacts: [{ name: 'ops', webhook: { url: ops.url, secret: OPS_SECRET } }],
        routes: [{ name: 'xuefeng', stations: ['xuefeng'], chain: ['ops'] }],
      }),
    );
    const dataDir = join(dir, 'data');
    const credentialsFile = join(dataDir, 'broker', 'accounts.json');
    const tester = await provisionAccount(credentialsFile, { kind: 'service', name: 'tester' });
    const logs = new LogRecorder();
    const server = new StationServer({
      dataDir,
      credentialsFile,
      mqtt: { host: '127.0.0.1', port: 0 },
      http: { host: '127.0.0.1', port: 0 },
      subscribersFile,
      logger: logs.logger(),
    });
    const admin = bearer(await addKeyIn(dataDir));
    const addresses = await server.start();
    cleanup.push(() => server.stop());
    await logs.waitFor('notifier started');
    const url = `http://127.0.0.1:${addresses.http.port}/v1/alerts/subscriptions`;

    const read = await fetch(url, { headers: admin });
    expect(read.status).toBe(200);
    const view = (await read.json()) as SubscriptionsView;
    expect(JSON.stringify(view)).not.toContain('whsec_');
    const put = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'if-match': read.headers.get('etag') ?? '', ...admin },
      body: JSON.stringify({
        ...view.subscriptions,
        // ops comes back as GET showed it, without its secret: the file's is kept.
        contacts: [
          ...view.subscriptions.contacts,
          { name: 'lab', webhook: { url: lab.url, secret: LAB_SECRET } },
        ],
        routes: [...view.subscriptions.routes, { name: 'jinfo', stations: ['jinfo'], chain: ['lab'] }],
      }),
    });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).not.toBe(read.headers.get('etag'));
    await logs.waitFor('subscribers reloaded', (record) => record.routes === 2);
    expect((await loadSubscribers(subscribersFile)).contacts[0]?.webhook?.secret).toBe(OPS_SECRET);

    const stale = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'if-match': read.headers.get('etag') ?? '', ...admin },
      body: JSON.stringify(view.subscriptions),
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { code: string }).code).toBe('SUBSCRIPTIONS_CHANGED');

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
    await lab.waiter.until(() => lab.requests.length === 1);
    expect(lab.requests[0]?.verified).toBe(true);
    expect(lab.requests[0]?.body.data).toMatchObject({ station: 'jinfo', rule: 'cave-co2-high' });
    expect(ops.requests).toEqual([]);
  });
});
