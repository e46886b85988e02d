import type { IConnackPacket, MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountSpec, ClientRights } from '../../../broker/accounts/account-schema.js';
import {
  changeClientRights,
  type IssuedCredentials,
  removeAccount,
  rotateAccount,
} from '../../../broker/accounts/account-store.js';
import { gatewayTopic } from '../../../protocol/index.js';
import { cleanEnv, runCli } from '../../harness/cli-process.js';
import { mosquittoPub } from '../../harness/mosquitto.js';
import { closed, nextMessage, type RunningBroker, startBroker, subscribeGranted } from './broker-fixture.js';
import { MosquittoSub } from './mosquitto-sub.js';
import { SubscribeAnnouncements } from './sys-announcements.js';

// Client accounts: rights the operator writes, against a real broker, with mosquitto's clients
// where a general-purpose client matters, and the live reload of changed rights.

const READINGS = gatewayTopic({ station: 'jinfo', gateway: 'cave-1' }, 'readings');
const STATUS = gatewayTopic({ station: 'jinfo', gateway: 'cave-1' }, 'status');
const NO_RIGHTS: ClientRights = { publish: [], subscribe: [], denyPublish: [], denySubscribe: [] };

function client(name: string, rights: Partial<ClientRights>): AccountSpec {
  return { kind: 'client', name, ...NO_RIGHTS, ...rights };
}

const ACCOUNTS = {
  gateway: { kind: 'gateway', station: 'jinfo', gateway: 'cave-1' },
  ops: { kind: 'subscriber', name: 'ops', scopes: ['operator'] },
  logger: client('logger', {
    publish: ['logs/%u/%c/#'],
    denyPublish: ['logs/%u/%c/private'],
    subscribe: ['logs/%u/#'],
  }),
  lab: client('lab', { publish: ['lab/#'], subscribe: ['fs/v1/#'] }),
} satisfies Record<string, AccountSpec>;

let broker: RunningBroker<keyof typeof ACCOUNTS>;
const subs: MosquittoSub[] = [];

beforeEach(async () => {
  broker = await startBroker({ accounts: ACCOUNTS });
});

afterEach(async () => {
  await Promise.all(subs.splice(0).map((sub) => sub.kill()));
  await broker.stop();
});

function connectAs(account: IssuedCredentials, clientId: string, clean = true): Promise<MqttClient> {
  return broker.connect(account.username, account.password, clientId, { clean });
}

/** Until the broker logs a line with this message (and these fields). */
async function logged(msg: string, fields: Record<string, unknown> = {}): Promise<void> {
  const matches = (line: string) => {
    const entry = JSON.parse(line) as Record<string, unknown>;
    return entry.msg === msg && Object.entries(fields).every(([key, value]) => entry[key] === value);
  };
  await vi.waitFor(() => expect(broker.logs.some(matches)).toBe(true), { timeout: 10_000 });
}

async function publishReadings(payload: string): Promise<void> {
  const gateway = await connectAs(broker.accounts.gateway, `cave-1-${payload}`);
  await gateway.publishAsync(READINGS, payload, { qos: 1 });
  await gateway.endAsync();
}

describe('a read-only client account (the README’s Node-RED example)', () => {
  it('receives readings with mosquitto_sub, and cannot publish with mosquitto_pub', {
    timeout: 60_000,
  }, async () => {
    const added = await runCli(
      [
        ...['account', 'add', '--credentials-file', broker.credentialsFile, '--kind', 'client'],
        ...['--name', 'nodered', '--subscribe', 'fs/v1/+/+/readings', '--json'],
      ],
      cleanEnv(),
    );
    expect(added.code, added.stderr).toBe(0);
    const nodered = JSON.parse(added.stdout) as IssuedCredentials;
    expect(nodered.username).toBe('nodered');
    await broker.server.reloadCredentials();

    const announcements = await SubscribeAnnouncements.start(await connectAs(broker.accounts.ops, 'ops'));
    const login = { port: broker.port, username: nodered.username, password: nodered.password };
    const reader = MosquittoSub.start({
      ...login,
      clientId: 'node-red-1',
      topic: 'fs/v1/+/+/readings',
      count: 1,
    });
    subs.push(reader);
    await announcements.subscribed('node-red-1', 'fs/v1/+/+/readings');
    await publishReadings('batch-1');
    expect(await reader.exited).toEqual({ code: 0, signal: null });
    expect(reader.output).toContain('batch-1');

    const forged = await mosquittoPub({ ...login, topic: READINGS, message: 'forged', qos: 1 });
    // MOSQ_ERR_CONN_LOST: the broker closed the connection instead of acknowledging [MQTT-3.3.5-2].
    expect(forged.code).toBe(7);
    const wider = MosquittoSub.start({ ...login, clientId: 'node-red-2', topic: 'fs/v1/#' });
    subs.push(wider);
    await wider.exited;
    expect(wider.output).toMatch(/subscription requests were denied/i);
    expect(broker.server.stats()).toMatchObject({ publishDenied: 1, subscribeDenied: 1 });
    await logged('publish denied', { account: 'nodered', topic: READINGS });
  });
});

describe('the account command for client accounts', () => {
  // Three runs of the CLI from its sources (tsx): seconds each on a busy machine.
  it('lists the rights, replaces them, and refuses bad input naming the option and the rule', {
    timeout: 90_000,
  }, async () => {
    const file = ['--credentials-file', broker.credentialsFile];
    const bad = await runCli(
      [
        'account',
        'add',
        ...file,
        '--kind',
        'client',
        '--name',
        'bad',
        '--publish',
        'a/#/b',
        '--subscribe',
        '$SYS/#',
      ],
      cleanEnv(),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--publish: "a/#/b" '#' may only stand alone as the last level`);
    expect(bad.stderr).toContain('--subscribe: "$SYS/#" starts with \'$\'');

    const changed = await runCli(
      ['account', 'rights', 'logger', ...file, '--subscribe', 'logs/%u/+', '--json'],
      cleanEnv(),
    );
    expect(changed.code, changed.stderr).toBe(0);
    const listed = await runCli(['account', 'list', ...file], cleanEnv());
    expect(listed.stdout.split('\n')).toContain('logger\tclient\tsubscribe logs/%u/+');
    expect(listed.stdout.split('\n')).toContain(
      'jinfo.cave-1\tgateway\tpublish fs/v1/jinfo/cave-1/readings fs/v1/jinfo/cave-1/status fs/v1/jinfo/cave-1/health fs/v1/jinfo/cave-1/meta; subscribe fs/v1/jinfo/cave-1/#',
    );
  });
});

describe('operator-written rights', () => {
  it('fill %u and %c, let a deny win over an allow, and count a refused publish', async () => {
    const { logger } = broker.accounts;
    const probe = await connectAs(logger, 'probe-1');
    expect(await subscribeGranted(probe, 'logs/logger/#')).toBe(1);
    expect(await subscribeGranted(probe, 'logs/#')).toBe(128);
    const own = nextMessage(probe, 'logs/logger/probe-1/today');
    await probe.publishAsync('logs/logger/probe-1/today', 'line', { qos: 1 });
    expect(await own).toBe('line');

    const disconnected = closed(probe);
    probe.publish('logs/logger/probe-1/private', 'secret', { qos: 1 });
    await disconnected;
    const other = await connectAs(logger, 'probe-2');
    const disconnectedToo = closed(other);
    other.publish('logs/logger/probe-1/today', 'not mine', { qos: 1 });
    await disconnectedToo;
    expect(broker.server.stats().publishDenied).toBe(2);
  });

  it('refuse a client id that would widen rights naming %c, with CONNACK 0x02', async () => {
    const { logger } = broker.accounts;
    for (const clientId of ['#', 'a/b']) {
      await expect(connectAs(logger, clientId)).rejects.toMatchObject({ code: 2 });
    }
    await logged('connection refused', { username: 'logger', clientId: '#' });
  });
});

describe('a change of rights while the client is connected', () => {
  it('withdraws the subscriptions the new rights refuse, from the live session and the kept one', async () => {
    const { lab } = broker.accounts;
    const reader = await connectAs(lab, 'lab-1', false);
    const seen: string[] = [];
    reader.on('message', (topic) => seen.push(topic));
    expect(await subscribeGranted(reader, 'fs/v1/+/+/readings')).toBe(1);
    expect(await subscribeGranted(reader, 'fs/v1/+/+/status')).toBe(1);

    await changeClientRights(broker.credentialsFile, 'lab', {
      ...NO_RIGHTS,
      subscribe: ['fs/v1/+/+/status'],
    });
    await logged('rights changed: subscriptions withdrawn', { clientId: 'lab-1' });
    expect(reader.connected).toBe(true);
    await publishReadings('after');
    const gateway = await connectAs(broker.accounts.gateway, 'cave-1');
    const status = nextMessage(reader, STATUS);
    await gateway.publishAsync(STATUS, 'online', { qos: 1 });
    await status;
    expect(seen).toEqual([STATUS]);

    // The publish right went with the change: the next publish ends the connection.
    const disconnected = closed(reader);
    reader.publish('lab/notes', 'x', { qos: 1 });
    await disconnected;
    expect(broker.server.stats().publishDenied).toBe(1);

    // Wider rights again: a subscription left in the kept session would come back with them.
    await changeClientRights(broker.credentialsFile, 'lab', { ...NO_RIGHTS, subscribe: ['fs/v1/#'] });
    await broker.server.reloadCredentials();
    const back = broker.open(lab.username, lab.password, 'lab-1', { clean: false });
    const connack = new Promise<IConnackPacket>((resolve) => back.once('connect', resolve));
    const after: string[] = [];
    back.on('message', (topic) => after.push(topic));
    expect((await connack).sessionPresent).toBe(true);
    await publishReadings('later');
    const statusAgain = nextMessage(back, STATUS);
    await gateway.publishAsync(STATUS, 'still online', { qos: 1 });
    await statusAgain;
    expect(after).toEqual([STATUS]);
  });

  it('ends a client account’s connections on rotate and on remove, as for the other kinds', async () => {
    const { lab, logger } = broker.accounts;
    const rotated = await connectAs(lab, 'lab-1');
    const rotatedClosed = closed(rotated);
    await rotateAccount(broker.credentialsFile, 'lab');
    await rotatedClosed;
    const removed = await connectAs(logger, 'probe-1');
    const removedClosed = closed(removed);
    await removeAccount(broker.credentialsFile, 'logger');
    await removedClosed;
    await expect(connectAs(logger, 'probe-1')).rejects.toMatchObject({ code: 4 });
  });
});
