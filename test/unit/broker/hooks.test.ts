import type { AedesPublishPacket, Client, PublishPacket, Subscription } from 'aedes';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../../broker/accounts/account-registry.js';
import type { AccountRecord } from '../../../broker/accounts/account-schema.js';
import { hashSecret } from '../../../broker/accounts/secret.js';
import { createCounters } from '../../../broker/broker-stats.js';
import { ClientSessions } from '../../../broker/client-sessions.js';
import { BrokerError } from '../../../broker/errors.js';
import { createAuthenticate } from '../../../broker/hooks/authenticate.js';
import { createAuthorizeForward } from '../../../broker/hooks/authorize-forward.js';
import { createAuthorizePublish } from '../../../broker/hooks/authorize-publish.js';
import { createAuthorizeSubscribe } from '../../../broker/hooks/authorize-subscribe.js';
import type { HookContext } from '../../../broker/hooks/hook-context.js';
import { RightsCache } from '../../../broker/rights/rights-cache.js';
import { SessionOwners } from '../../../broker/session-owners.js';
import { NodeLiveClientIds } from '../../../broker/sessions/live-client-ids.js';
import { MemoryOwnerStore } from '../../../broker/sessions/memory-owner-store.js';
import type { OwnerStore } from '../../../broker/sessions/owner-store.js';

const FAST = { N: 1024, r: 8, p: 1, keyLength: 32 };

async function gatewayRecord(gateway: string): Promise<AccountRecord> {
  return {
    kind: 'gateway',
    station: 'jinfo',
    gateway,
    username: `jinfo.${gateway}`,
    createdAt: '2025-01-01T00:00:00.000Z',
    secret: await hashSecret('s3cret', FAST),
  };
}

/** A client account "lab" with the secret "s3cret" that publishes under its client id and reads all but secrets. */
async function clientRecord(): Promise<AccountRecord> {
  return {
    kind: 'client',
    name: 'lab',
    username: 'lab',
    createdAt: '2025-01-01T00:00:00.000Z',
    secret: await hashSecret('s3cret', FAST),
    publish: ['lab/%c/#'],
    subscribe: ['lab/#'],
    denyPublish: [],
    denySubscribe: ['lab/+/secret'],
  };
}

/**
 * Accounts jinfo.cave-1 and jinfo.cave-2 and the client account lab, all with the secret "s3cret";
 * `logs` gets every log line.
 */
async function contextWithGateway(
  logs: string[] = [],
  store: OwnerStore = new MemoryOwnerStore(),
): Promise<HookContext> {
  const accounts = new AccountRegistry();
  accounts.replace([await gatewayRecord('cave-1'), await gatewayRecord('cave-2'), await clientRecord()]);
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(line) });
  return {
    accounts,
    rights: new RightsCache(accounts),
    sessions: new ClientSessions(),
    owners: new SessionOwners(store, logger),
    liveIds: new NodeLiveClientIds(),
    counters: createCounters(),
    logger,
    maxPacketBytes: 1024,
  };
}

/** The hooks read only the client's id and clean flag; Aedes' Client needs a socket to construct. */
const fakeClient = (id: string, clean = true): Client => ({ id, clean }) as unknown as Client;

function publish(topic: string, payload: Buffer, retain = false): PublishPacket {
  return { cmd: 'publish', topic, payload, qos: 1, retain, dup: false, messageId: 1 };
}

function authorizePublish(context: HookContext, client: Client | null, packet: PublishPacket) {
  return new Promise<Error | null | undefined>((resolve) =>
    createAuthorizePublish(context)(client, packet, resolve),
  );
}

function authenticate(context: HookContext, client: Client, username?: string, password?: string) {
  return new Promise<{ error: (Error & { returnCode?: number }) | null; ok: boolean | null }>((resolve) =>
    createAuthenticate(context)(
      client,
      username,
      password === undefined ? undefined : Buffer.from(password),
      (error, ok) => resolve({ error, ok }),
    ),
  );
}

describe('authenticate hook', () => {
  it('accepts the right secret and remembers the account for the client', async () => {
    const context = await contextWithGateway();
    const client = fakeClient('c1');
    expect(await authenticate(context, client, 'jinfo.cave-1', 's3cret')).toEqual({ error: null, ok: true });
    expect(context.sessions.usernameOf(client)).toBe('jinfo.cave-1');
  });

  it.each([
    ['jinfo.cave-1', 'wrong', 'PASSWORD_WRONG'],
    ['jinfo.cave-9', 's3cret', 'BAD_USERNAME_OR_PASSWORD'],
    [undefined, undefined, 'BAD_USERNAME_OR_PASSWORD'],
    ['jinfo.cave-1', undefined, 'BAD_USERNAME_OR_PASSWORD'],
  ])('refuses %s / %s with return code 4 (%s) and counts it', async (username, password, code) => {
    const context = await contextWithGateway();
    const { error, ok } = await authenticate(context, fakeClient('c1'), username, password);
    expect(ok).toBe(false);
    expect(error).toMatchObject({ returnCode: 4, code });
    expect(context.counters.authFailures).toBe(1);
  });

  it('refuses another account the client id of a kept session, clean or not, with return code 2', async () => {
    const logs: string[] = [];
    const context = await contextWithGateway(logs);
    expect(await authenticate(context, fakeClient('fs-ingest', false), 'jinfo.cave-1', 's3cret')).toEqual({
      error: null,
      ok: true,
    });
    expect(await context.owners.ownerOf('fs-ingest')).toBe('jinfo.cave-1');
    for (const clean of [false, true]) {
      const { error, ok } = await authenticate(
        context,
        fakeClient('fs-ingest', clean),
        'jinfo.cave-2',
        's3cret',
      );
      expect(ok).toBe(false);
      expect(error).toMatchObject({ returnCode: 2, code: 'CLIENT_ID_TAKEN' });
    }
    expect(context.counters).toMatchObject({ clientIdRefused: 2, authFailures: 2 });
    const warning = JSON.parse(logs.find((line) => line.includes('connection refused')) ?? '{}');
    expect(warning).toMatchObject({
      level: 40,
      username: 'jinfo.cave-2',
      clientId: 'fs-ingest',
      owner: 'jinfo.cave-1',
    });
    expect(await context.owners.ownerOf('fs-ingest')).toBe('jinfo.cave-1');
    const again = await authenticate(context, fakeClient('fs-ingest', true), 'jinfo.cave-1', 's3cret');
    expect(again).toEqual({ error: null, ok: true });
  });

  it('does not let a refused password claim a client id', async () => {
    const context = await contextWithGateway();
    await authenticate(context, fakeClient('id-1', false), 'jinfo.cave-1', 'wrong');
    expect(await context.owners.ownerOf('id-1')).toBeUndefined();
    expect(context.counters.clientIdRefused).toBe(0);
  });

  it('lets only one of two racing persistent connects by different accounts claim a fresh id', async () => {
    const context = await contextWithGateway();
    const results = await Promise.all(
      ['jinfo.cave-1', 'jinfo.cave-2'].map((username) =>
        authenticate(context, fakeClient('fresh', false), username, 's3cret'),
      ),
    );
    expect(results.filter(({ ok }) => ok)).toHaveLength(1);
    expect(results.find(({ ok }) => !ok)?.error).toMatchObject({ returnCode: 2, code: 'CLIENT_ID_TAKEN' });
  });

  it('withdraws the claim of a persistent connect refused for another account’s live connection', async () => {
    const context = await contextWithGateway();
    const live = fakeClient('shared', true);
    context.sessions.authenticated(live, 'jinfo.cave-2');
    context.sessions.ready(live);
    const { error } = await authenticate(context, fakeClient('shared', false), 'jinfo.cave-1', 's3cret');
    expect(error).toMatchObject({ returnCode: 2, code: 'CLIENT_ID_TAKEN' });
    expect(await context.owners.ownerOf('shared')).toBeUndefined();
  });

  it('refuses a client id that cannot stand for %c in the account’s rights with return code 2', async () => {
    const context = await contextWithGateway();
    for (const clientId of ['#', 'a/b', '$SYS']) {
      const { error, ok } = await authenticate(context, fakeClient(clientId), 'lab', 's3cret');
      expect(ok).toBe(false);
      expect(error).toMatchObject({ returnCode: 2, code: 'CLIENT_ID_REJECTED' });
    }
    expect(await authenticate(context, fakeClient('probe-1'), 'lab', 's3cret')).toEqual({
      error: null,
      ok: true,
    });
    // Rights without %c take any client id Aedes takes.
    expect(await authenticate(context, fakeClient('a/b'), 'jinfo.cave-1', 's3cret')).toMatchObject({
      ok: true,
    });
  });

  it('answers CONNACK 3 (server unavailable) when the session owners cannot be reached', async () => {
    const store = new MemoryOwnerStore();
    const context = await contextWithGateway([], store);
    const unavailable = new BrokerError('STORE_UNAVAILABLE', 'session owners in Redis: down');
    store.claim = () => Promise.reject(unavailable);
    const { error, ok } = await authenticate(context, fakeClient('id-1', false), 'jinfo.cave-1', 's3cret');
    expect(ok).toBe(false);
    expect(error).toMatchObject({ returnCode: 3, code: 'STORE_UNAVAILABLE' });
    expect(context.counters.authFailures).toBe(1);
  });
});

describe('authorizePublish hook', () => {
  it('allows the own prefix and refuses others with a counted TOPIC_FORBIDDEN', async () => {
    const context = await contextWithGateway();
    const client = fakeClient('c1');
    context.sessions.authenticated(client, 'jinfo.cave-1');
    expect(
      await authorizePublish(context, client, publish('fs/v1/jinfo/cave-1/readings', Buffer.from('x'))),
    ).toBe(null);
    const denied = await authorizePublish(
      context,
      client,
      publish('fs/v1/jinfo/cave-2/readings', Buffer.from('x')),
    );
    expect(denied).toMatchObject({ code: 'TOPIC_FORBIDDEN' });
    expect(context.counters.publishDenied).toBe(1);
  });

  it('refuses a payload over the limit even when the stream guard missed it', async () => {
    const context = await contextWithGateway();
    const client = fakeClient('c1');
    context.sessions.authenticated(client, 'jinfo.cave-1');
    const big = publish('fs/v1/jinfo/cave-1/readings', Buffer.alloc(2000));
    expect(await authorizePublish(context, client, big)).toMatchObject({ code: 'PACKET_TOO_LARGE' });
    expect(context.counters).toMatchObject({ oversized: 1, publishDenied: 0 });
    context.sessions.markOversized(client);
    expect(await authorizePublish(context, client, big)).toMatchObject({ code: 'PACKET_TOO_LARGE' });
    expect(context.counters.oversized).toBe(1);
  });

  it('refuses clients without an account and wills without a client', async () => {
    const context = await contextWithGateway();
    const packet = publish('fs/v1/jinfo/cave-1/status', Buffer.from('{}'));
    expect(await authorizePublish(context, fakeClient('anon'), packet)).toMatchObject({
      code: 'TOPIC_FORBIDDEN',
    });
    expect(await authorizePublish(context, null, packet)).toMatchObject({ code: 'TOPIC_FORBIDDEN' });
  });

  it('clears the retain flag on readings and health, counts it, and keeps it on status', async () => {
    const logs: string[] = [];
    const context = await contextWithGateway(logs);
    const client = fakeClient('c1');
    context.sessions.authenticated(client, 'jinfo.cave-1');
    const payload = Buffer.from('{}');
    const readings = publish('fs/v1/jinfo/cave-1/readings', payload, true);
    const health = publish('fs/v1/jinfo/cave-1/health', payload, true);
    const status = publish('fs/v1/jinfo/cave-1/status', payload, true);
    for (const packet of [readings, health, status]) {
      expect(await authorizePublish(context, client, packet)).toBe(null);
    }
    expect([readings.retain, health.retain, status.retain]).toEqual([false, false, true]);
    expect(context.counters.retainCleared).toBe(2);
    expect(logs.filter((line) => line.includes('retain flag cleared'))).toHaveLength(2);
  });

  it('leaves the retain flag of a refused publish alone', async () => {
    const context = await contextWithGateway();
    const client = fakeClient('c1');
    context.sessions.authenticated(client, 'jinfo.cave-1');
    const forged = publish('fs/v1/jinfo/cave-2/readings', Buffer.from('x'), true);
    expect(await authorizePublish(context, client, forged)).toMatchObject({ code: 'TOPIC_FORBIDDEN' });
    expect(context.counters.retainCleared).toBe(0);
  });
});

describe('authorizePublish hook for a client account', () => {
  it('fills %c with the client’s id', async () => {
    const context = await contextWithGateway();
    const client = fakeClient('probe-1');
    context.sessions.authenticated(client, 'lab');
    const own = publish('lab/probe-1/data', Buffer.from('x'));
    expect(await authorizePublish(context, client, own)).toBe(null);
    const other = publish('lab/probe-2/data', Buffer.from('x'));
    expect(await authorizePublish(context, client, other)).toMatchObject({ code: 'TOPIC_FORBIDDEN' });
    expect(context.counters.publishDenied).toBe(1);
  });
});

describe('authorizeForward hook', () => {
  it('withholds copies on topics the subscriber may not receive, and counts them', async () => {
    const context = await contextWithGateway();
    const client = fakeClient('probe-1');
    context.sessions.authenticated(client, 'lab');
    const forward = createAuthorizeForward(context);
    const permitted = publish('lab/probe-2/data', Buffer.from('x'));
    expect(forward(client, permitted as AedesPublishPacket)).toBe(permitted);
    const denied = publish('lab/probe-2/secret', Buffer.from('x'));
    expect(forward(client, denied as AedesPublishPacket)).toBeUndefined();
    expect(forward(fakeClient('anon'), permitted as AedesPublishPacket)).toBeUndefined();
    expect(context.counters.forwardWithheld).toBe(2);
  });
});

describe('authorizeSubscribe hook', () => {
  it('passes allowed subscriptions through and negates others (SUBACK 0x80)', async () => {
    const context = await contextWithGateway();
    const client = fakeClient('c1');
    context.sessions.authenticated(client, 'jinfo.cave-1');
    const subscribe = (topic: string) =>
      new Promise<Subscription | null | undefined>((resolve) =>
        createAuthorizeSubscribe(context)(client, { topic, qos: 1 }, (_error, granted) => resolve(granted)),
      );
    expect(await subscribe('fs/v1/jinfo/cave-1/#')).toEqual({ topic: 'fs/v1/jinfo/cave-1/#', qos: 1 });
    expect(await subscribe('fs/v1/#')).toBeNull();
    expect(context.counters.subscribeDenied).toBe(1);
  });
});
