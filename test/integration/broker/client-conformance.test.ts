import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { addAccount, type IssuedCredentials } from '../../../broker/accounts/account-store.js';
import { cleanEnv, runCli } from '../../harness/cli-process.js';
import { type RunningBroker, startBroker, subscribeGranted } from './broker-fixture.js';
import { MosquittoSub, type MosquittoSubOptions } from './mosquitto-sub.js';
import { ackPacket, type Qos, RawMqttSocket, type RawPublish, TYPE, unsubscribePacket } from './raw-mqtt.js';
import { SubscribeAnnouncements } from './sys-announcements.js';

// MQTT 3.1.1 as a general-purpose client and its test suite expect it (the behaviours the Eclipse
// Paho interoperability tests check, on their topics), for a client account made as the README
// makes one: `fieldstation account add --kind client --name suite --publish '#' --subscribe '#'
// --deny-subscribe test/nosubscribe`. Driven by Debian's mosquitto_pub/mosquitto_sub and by
// hand-built packets, whose flags and packet ids a test can read.

const run = promisify(execFile);

let dir: string;
let credentialsFile: string;
let suite: IssuedCredentials;
let ops: IssuedCredentials;
let broker: RunningBroker;
let announcements: SubscribeAnnouncements;
const raws: RawMqttSocket[] = [];
const subs: MosquittoSub[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-suite-'));
  credentialsFile = join(dir, 'accounts.json');
  const added = await runCli(
    [
      ...['account', 'add', '--credentials-file', credentialsFile, '--kind', 'client', '--name', 'suite'],
      ...['--publish', '#', '--subscribe', '#', '--deny-subscribe', 'test/nosubscribe', '--json'],
    ],
    cleanEnv(),
  );
  expect(added.code, added.stderr).toBe(0);
  suite = JSON.parse(added.stdout) as IssuedCredentials;
  ops = await addAccount(credentialsFile, { kind: 'subscriber', name: 'ops', scopes: ['operator'] });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  broker = await startBroker({ credentialsFile });
  announcements = await SubscribeAnnouncements.start(await operator('ops-announcements'));
});

afterEach(async () => {
  for (const socket of raws.splice(0)) socket.destroy();
  await Promise.all(subs.splice(0).map((started) => started.kill()));
  await broker.stop();
});

function operator(clientId: string): Promise<MqttClient> {
  return broker.connect(ops.username, ops.password, clientId);
}

const login = () => ({ username: suite.username, password: suite.password });

async function raw(clientId: string, clean = true): Promise<RawMqttSocket> {
  const socket = await RawMqttSocket.open(broker.port);
  raws.push(socket);
  expect(await socket.connect({ clientId, clean, ...login() })).toBe(0);
  return socket;
}

function sub(options: Omit<MosquittoSubOptions, 'port' | 'username' | 'password'>): MosquittoSub {
  const started = MosquittoSub.start({ port: broker.port, ...login(), ...options });
  subs.push(started);
  return started;
}

/** mosquitto_pub as the suite's account, to its end (for QoS 1 and 2: acknowledged); '' sends -n. */
async function pub(topic: string, message: string, qos: Qos, retain = false): Promise<void> {
  const args = ['-V', 'mqttv311', '-h', '127.0.0.1', '-p', String(broker.port), '-u', suite.username];
  args.push(
    '-P',
    suite.password,
    '-q',
    String(qos),
    '-t',
    topic,
    ...(message === '' ? ['-n'] : ['-m', message]),
  );
  await run('mosquitto_pub', retain ? [...args, '-r'] : args, { timeout: 10_000 });
}

function lines(output: string): string[] {
  return output.trim().split('\n');
}

/** Until the broker counts only the given number of live connections (a client's leaving has landed). */
async function untilConnections(count: number): Promise<void> {
  await vi.waitFor(() => expect(broker.server.stats().connections).toBe(count));
}

const shape = ({ topic, payload, qos, dup }: RawPublish) => ({ topic, payload, qos, dup });

describe('a client account with --publish # --subscribe # --deny-subscribe test/nosubscribe', () => {
  it('sets, replaces and clears retained messages (mosquitto_pub -r, -n; mosquitto_sub)', async () => {
    await pub('TopicA/B', 'first', 1, true);
    await pub('TopicA/C', 'kept', 2, true);
    await pub('TopicA/B', 'replaced', 0, true);
    const reader = sub({ clientId: 'reader-1', topic: '+/+', count: 2, format: '%r %t %p' });
    await reader.exited;
    expect(lines(reader.output).sort()).toEqual(['1 TopicA/B replaced', '1 TopicA/C kept']);

    await pub('TopicA/B', '', 1, true);
    const later = sub({ clientId: 'reader-2', topic: 'TopicA/+', count: 2, format: '%r %t %p' });
    await announcements.subscribed('reader-2', 'TopicA/+');
    await pub('TopicA/D', 'live', 1);
    await later.exited;
    // [MQTT-3.3.1-8] retained on subscribing, [MQTT-3.3.1-9] not retained when live; B is gone [MQTT-3.3.1-10].
    expect(lines(later.output)).toEqual(['1 TopicA/C kept', '0 TopicA/D live']);
  });

  it('accepts a zero-length client id with clean session on, and answers CONNACK 0x02 with it off [MQTT-3.1.3-8]', async () => {
    const off = await RawMqttSocket.open(broker.port);
    raws.push(off);
    expect(await off.connect({ clientId: '', clean: false, ...login() })).toBe(2);
    await off.closed;
    const on = await RawMqttSocket.open(broker.port);
    raws.push(on);
    expect(await on.connect({ clientId: '', clean: true, ...login() })).toBe(0);
  });

  it('queues QoS 1 and 2 messages for a persistent session while it is away (mosquitto_sub -c)', async () => {
    const first = sub({ clientId: 'offline-1', topic: '+/+', qos: 2, persistent: true });
    await announcements.subscribed('offline-1', '+/+');
    // Gone without a word: mosquitto_sub's SIGINT handler races its network thread and can hang it,
    // and a kept session must hold the queue however its client left.
    first.signal('SIGKILL');
    await first.exited;
    await untilConnections(1);
    await pub('TopicA/B', 'qos 0', 0);
    await pub('TopicA/C', 'qos 1', 1);
    await pub('Topic/C', 'qos 2', 2);
    const back = sub({
      clientId: 'offline-1',
      topic: '+/+',
      qos: 2,
      persistent: true,
      count: 2,
      format: '%q %t %p',
    });
    await back.exited;
    // QoS 0 messages need not be kept for an offline session [MQTT-3.1.2-5]; these are not.
    expect(lines(back.output)).toEqual(['1 TopicA/C qos 1', '2 Topic/C qos 2']);
  });

  it('re-sends unacknowledged QoS 1 and 2 messages with DUP set and an unacknowledged PUBREL, on reconnect [MQTT-4.4.0-1]', async () => {
    const first = await raw('redeliver', false);
    expect(await first.subscribe(1, [['TopicA/#', 2]])).toEqual([2]);
    await pub('TopicA/B', 'qos 1', 1);
    await pub('TopicA/C', 'qos 2', 2);
    const sent = [await first.nextPublish(), await first.nextPublish()];
    expect(sent.map(shape)).toEqual([
      { topic: 'TopicA/B', payload: 'qos 1', qos: 1, dup: false },
      { topic: 'TopicA/C', payload: 'qos 2', qos: 2, dup: false },
    ]);
    first.destroy();
    await untilConnections(1);

    const second = await RawMqttSocket.open(broker.port);
    raws.push(second);
    expect(await second.connectForAck({ clientId: 'redeliver', clean: false, ...login() })).toEqual({
      returnCode: 0,
      sessionPresent: true,
    });
    const again = [await second.nextPublish(), await second.nextPublish()];
    // [MQTT-3.3.1-1] DUP set; the same packet ids [MQTT-4.4.0-1].
    expect(again).toEqual(sent.map((publish) => ({ ...publish, dup: true })));
    const [once, exactly] = again.map(({ messageId }) => messageId ?? -1) as [number, number];
    second.send(ackPacket('puback', once));
    second.send(ackPacket('pubrec', exactly));
    expect((await second.next(TYPE.pubrel)).body.readUInt16BE(0)).toBe(exactly);
    second.destroy();
    await untilConnections(1);

    const third = await raw('redeliver', false);
    expect((await third.next(TYPE.pubrel)).body.readUInt16BE(0)).toBe(exactly);
    third.send(ackPacket('pubcomp', exactly));
    await pub('TopicA/D', 'marker', 1);
    // Nothing else was owed: the next PUBLISH is the new one.
    expect(shape(await third.nextPublish())).toEqual({
      topic: 'TopicA/D',
      payload: 'marker',
      qos: 1,
      dup: false,
    });
  });

  it('delivers a message matching overlapping subscriptions once, at the highest QoS granted [MQTT-3.3.5-1]', async () => {
    const client = await raw('overlapping');
    expect(
      await client.subscribe(1, [
        ['TopicA/#', 2],
        ['TopicA/+', 1],
      ]),
    ).toEqual([2, 1]);
    await pub('TopicA/C', 'overlapping', 2);
    expect(shape(await client.nextPublish())).toEqual({
      topic: 'TopicA/C',
      payload: 'overlapping',
      qos: 2,
      dup: false,
    });
    await pub('TopicA/D', 'marker', 0);
    expect((await client.nextPublish()).payload).toBe('marker');
  });

  it('sends a message no higher than the QoS its subscription was granted [MQTT-3.8.4-6]', async () => {
    const client = await raw('granted');
    expect(await client.subscribe(1, [['Topic/+', 1]])).toEqual([1]);
    await pub('Topic/C', 'published at 2', 2);
    expect(shape(await client.nextPublish())).toEqual({
      topic: 'Topic/C',
      payload: 'published at 2',
      qos: 1,
      dup: false,
    });
  });

  it('keeps topics starting with $ from # and + filters, and $SYS for operators [MQTT-4.7.2-1]', async () => {
    const client = await raw('dollar');
    expect(
      await client.subscribe(1, [
        ['#', 0],
        ['+/#', 0],
        ['$SYS/#', 0],
      ]),
    ).toEqual([0, 0, 0x80]);
    const watcher = await operator('ops-clients');
    const announced = new Promise<string>((resolve) => watcher.on('message', (topic) => resolve(topic)));
    await watcher.subscribeAsync('$SYS/+/new/clients', { qos: 0 });
    // Aedes announces every new client under $SYS: the operator hears it, the client does not.
    await broker.connect(suite.username, suite.password, 'newcomer');
    expect(await announced).toMatch(/^\$SYS\/.+\/new\/clients$/);
    await pub('TopicA/B', 'marker', 0);
    expect((await client.nextPublish()).topic).toBe('TopicA/B');
  });

  it('closes a connection silent for 1.5 × its keep-alive and publishes its will [MQTT-3.1.2-24]', async () => {
    const observer = await broker.connect(suite.username, suite.password, 'observer');
    const wills: string[] = [];
    observer.on('message', (topic, payload) => wills.push(`${topic} ${payload.toString()}`));
    expect(await subscribeGranted(observer, 'TopicA/will')).toBe(1);
    const silent = await RawMqttSocket.open(broker.port);
    raws.push(silent);
    const will = { topic: 'TopicA/will', payload: 'gone', qos: 1 as const };
    expect(await silent.connect({ clientId: 'silent', clean: true, keepalive: 1, will, ...login() })).toBe(0);
    const connectedAt = performance.now();
    await silent.closed;
    expect(performance.now() - connectedAt).toBeGreaterThanOrEqual(1400);
    await vi.waitFor(() => expect(wills).toEqual(['TopicA/will gone']));
  });

  it('stops delivering a topic once it is unsubscribed [MQTT-3.10.4-2]', async () => {
    const client = await raw('unsubscriber');
    expect(
      await client.subscribe(1, [
        ['TopicA/B', 1],
        ['TopicA/C', 1],
      ]),
    ).toEqual([1, 1]);
    await pub('TopicA/B', 'before', 1);
    expect((await client.nextPublish()).payload).toBe('before');
    client.send(unsubscribePacket(2, ['TopicA/B']));
    await client.next(TYPE.unsuback);
    await pub('TopicA/B', 'after', 1);
    await pub('TopicA/C', 'marker', 1);
    expect((await client.nextPublish()).payload).toBe('marker');
  });

  it('answers 0x80 for the one refused filter of a SUBSCRIBE, grants the others and never delivers the denied topic', async () => {
    const client = await raw('several');
    // [MQTT-3.8.4-5] a return code per filter, [MQTT-3.9.3-1] in their order.
    expect(
      await client.subscribe(1, [
        ['TopicA/B', 2],
        ['test/nosubscribe', 2],
        ['Topic/C', 1],
      ]),
    ).toEqual([2, 0x80, 1]);
    const everything = await raw('everything');
    expect(await everything.subscribe(1, [['#', 1]])).toEqual([1]);
    await pub('test/nosubscribe', 'hidden', 1);
    await pub('Topic/C', 'marker', 1);
    expect((await client.nextPublish()).payload).toBe('marker');
    expect((await everything.nextPublish()).payload).toBe('marker');
    expect(broker.server.stats()).toMatchObject({ subscribeDenied: 1, forwardWithheld: 1 });
  });
});
