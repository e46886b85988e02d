import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IConnackPacket } from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import { removeAccount } from '../../../broker/accounts/account-store.js';
import { BrokerServer } from '../../../broker/broker-server.js';
import { type RunningBroker, startBroker, subscribeGranted } from './broker-fixture.js';

const READINGS = 'fs/v1/jinfo/manual-1/readings';
const INGEST_ID = 'fs-ingest';
const PERSISTENT = { clean: false } as const;

const ACCOUNTS = {
  ingest: { kind: 'service', name: 'ingest' },
  gateway: { kind: 'gateway', station: 'jinfo', gateway: 'manual-1' },
  snoop: { kind: 'subscriber', name: 'snoop', scopes: ['all'] },
} satisfies Record<string, AccountSpec>;

let broker: RunningBroker<keyof typeof ACCOUNTS> | undefined;

afterEach(async () => {
  await broker?.stop();
  broker = undefined;
});

async function start(): Promise<RunningBroker<keyof typeof ACCOUNTS>> {
  broker = await startBroker({ accounts: ACCOUNTS });
  return broker;
}

/** The ingest connects with a persistent session, subscribes at QoS 1 and goes away. */
async function leaveIngestSession(b: RunningBroker<keyof typeof ACCOUNTS>): Promise<void> {
  const { ingest } = b.accounts;
  const owner = await b.connect(ingest.username, ingest.password, INGEST_ID, PERSISTENT);
  expect(await subscribeGranted(owner, 'fs/v1/+/+/readings')).toBe(1);
  await owner.endAsync();
  await vi.waitFor(() => expect(b.server.stats().connections).toBe(0));
}

describe('client ids of kept sessions', () => {
  it('refuses other accounts the offline ingest’s client id and keeps its queue for it', async () => {
    const b = await start();
    const { ingest, gateway, snoop } = b.accounts;
    await leaveIngestSession(b);
    expect(b.server.stats().keptSessions).toBe(1);

    const publisher = await b.connect(gateway.username, gateway.password);
    const sent = ['1', '2', '3'];
    for (const payload of sent) await publisher.publishAsync(READINGS, payload, { qos: 1 });

    const attempts: [string, string, boolean][] = [
      [snoop.username, snoop.password, false],
      [snoop.username, snoop.password, true],
      [gateway.username, gateway.password, true],
    ];
    for (const [username, password, clean] of attempts) {
      await expect(b.connect(username, password, INGEST_ID, { clean })).rejects.toMatchObject({ code: 2 });
    }
    expect(b.server.stats()).toMatchObject({ clientIdRefused: 3, authFailures: 3, keptSessions: 1 });
    const refusal = JSON.parse(b.logs.find((line) => line.includes('connection refused')) ?? '{}');
    expect(refusal).toMatchObject({
      level: 40,
      username: snoop.username,
      clientId: INGEST_ID,
      owner: ingest.username,
    });

    const received: string[] = [];
    const owner = b.open(ingest.username, ingest.password, INGEST_ID, PERSISTENT);
    const connack = new Promise<IConnackPacket>((resolve) => owner.once('connect', resolve));
    owner.on('message', (_topic, payload) => received.push(payload.toString()));
    expect((await connack).sessionPresent).toBe(true);
    await vi.waitFor(() => expect(received).toEqual(sent));
  });

  it('lets another account use the id once the owner has discarded its session', async () => {
    const b = await start();
    const { ingest, snoop } = b.accounts;
    await leaveIngestSession(b);
    const clean = await b.connect(ingest.username, ingest.password, INGEST_ID, { clean: true });
    await vi.waitFor(() => expect(b.server.stats().keptSessions).toBe(0));
    await clean.endAsync();
    await vi.waitFor(() => expect(b.server.stats().connections).toBe(0));
    const other = await b.connect(snoop.username, snoop.password, INGEST_ID, PERSISTENT);
    expect(other.connected).toBe(true);
  });

  it("keeps a removed account's session from everyone else: it holds messages only that account could read", async () => {
    const b = await start();
    const { ingest, snoop } = b.accounts;
    await leaveIngestSession(b);
    await removeAccount(b.credentialsFile, ingest.username);
    await b.server.reloadCredentials();
    expect(b.server.stats().keptSessions).toBe(1);
    await expect(b.connect(snoop.username, snoop.password, INGEST_ID, PERSISTENT)).rejects.toMatchObject({
      code: 2,
    });
  });
});

describe('the session owners file of a disk store', () => {
  it('fails the start with SESSION_OWNERS_FILE_INVALID naming the file, and releases the store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-owners-broker-'));
    const ownersFile = join(dir, 'store.session-owners.json');
    const server = () =>
      new BrokerServer({
        config: {
          host: '127.0.0.1',
          port: 0,
          credentialsFile: join(dir, 'accounts.json'),
          persistence: { type: 'disk', dir: join(dir, 'store') },
        },
        logger: pino({ level: 'silent' }),
      });
    try {
      await writeFile(ownersFile, '{"version": 1, "owners": [{"clientId": "fs-ingest"}]}');
      await expect(server().start()).rejects.toMatchObject({
        code: 'SESSION_OWNERS_FILE_INVALID',
        context: { file: ownersFile },
        message: expect.stringContaining(ownersFile),
      });
      await rm(ownersFile);
      const fixed = server();
      await fixed.start();
      await fixed.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
