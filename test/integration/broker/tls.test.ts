import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import { removeAccount } from '../../../broker/accounts/account-store.js';
import { BrokerServer } from '../../../broker/broker-server.js';
import type { BrokerConfigInput } from '../../../broker/config.js';
import type { ClientCertificateMode } from '../../../broker/listeners/listener-config.js';
import {
  type CertificatePair,
  makeTestCertificates,
  type TestCertificates,
} from '../../harness/tls-certs.js';
import { closed, nextMessage, type RunningBroker, startBroker, subscribeGranted } from './broker-fixture.js';

const GATEWAY = 'jinfo.cave-gw-1';
const UNKNOWN = 'jinfo.cave-gw-9';
const INGEST = 'svc.ingest';
const OWN_READINGS = 'fs/v1/jinfo/cave-gw-1/readings';
const OTHER_READINGS = 'fs/v1/jinfo/cave-gw-2/readings';
const READING = '{"v":1,"seq":1,"readings":[]}';

const ACCOUNTS = {
  gateway: { kind: 'gateway', station: 'jinfo', gateway: 'cave-gw-1' },
  ingest: { kind: 'service', name: 'ingest' },
} satisfies Record<string, AccountSpec>;

type Broker = RunningBroker<keyof typeof ACCOUNTS>;

let certificates: TestCertificates;
let ca: Buffer;
let broker: Broker | undefined;
const clients: MqttClient[] = [];

beforeAll(async () => {
  certificates = await makeTestCertificates([GATEWAY, INGEST, UNKNOWN], [GATEWAY]);
  ca = await readFile(certificates.caFile);
});

afterAll(async () => {
  await certificates?.remove();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
  await broker?.stop();
  broker = undefined;
});

async function start(
  clientCertificates: ClientCertificateMode,
  limits?: BrokerConfigInput['limits'],
): Promise<Broker> {
  const { server, caFile } = certificates;
  const tls = { port: 0, certFile: server.cert, keyFile: server.key, caFile, clientCertificates };
  broker = await startBroker({ accounts: ACCOUNTS, listeners: { tls }, ...(limits ? { limits } : {}) });
  return broker;
}

function tlsPort(b: Broker): number {
  const address = b.server.addresses()?.tls;
  if (address === undefined) throw new Error('the broker has no TLS listener');
  return address.port;
}

interface TlsLogin {
  certificate?: CertificatePair;
  username?: string;
  password?: string;
}

async function connectTls(b: Broker, login: TlsLogin, options: IClientOptions = {}): Promise<MqttClient> {
  const { certificate, username, password } = login;
  const client = await connectAsync(`mqtts://127.0.0.1:${tlsPort(b)}`, {
    ca,
    ...(certificate ? { cert: await readFile(certificate.cert), key: await readFile(certificate.key) } : {}),
    username,
    password,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...options,
  });
  clients.push(client);
  return client;
}

/**
 * How a connection attempt ends. A TLS 1.3 client learns that its certificate was refused only after
 * the handshake, and MQTT.js then reports an error or merely a close, never a CONNACK.
 */
async function tlsOutcome(b: Broker, login: TlsLogin): Promise<'connected' | 'error' | 'closed'> {
  const { certificate, username, password } = login;
  const client = connect(`mqtts://127.0.0.1:${tlsPort(b)}`, {
    ca,
    ...(certificate ? { cert: await readFile(certificate.cert), key: await readFile(certificate.key) } : {}),
    username,
    password,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  clients.push(client);
  return new Promise((resolve) => {
    client.once('connect', () => resolve('connected'));
    client.once('error', () => resolve('error'));
    client.once('close', () => resolve('closed'));
  });
}

/** mosquitto_pub/_sub arguments for TLS: always --cafile; --cert/--key or -u/-P as the login says. */
function mosquittoArgs(b: Broker, login: TlsLogin): string[] {
  const { certificate, username, password } = login;
  return [
    ...['-h', '127.0.0.1', '-p', String(tlsPort(b)), '--cafile', certificates.caFile],
    ...(certificate ? ['--cert', certificate.cert, '--key', certificate.key] : []),
    ...(username ? ['-u', username] : []),
    ...(password ? ['-P', password] : []),
  ];
}

/** Resolves with mosquitto_pub's exit status (0 once PUBACK arrived) and its stderr. */
function mosquittoPub(b: Broker, login: TlsLogin, topic: string): Promise<{ code: number; stderr: string }> {
  const args = [...mosquittoArgs(b, login), '-q', '1', '-t', topic, '-m', READING];
  return new Promise((resolve, reject) => {
    execFile('mosquitto_pub', args, { timeout: 10_000 }, (error, _stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stderr });
      if (typeof error.code === 'number') return resolve({ code: error.code, stderr });
      reject(error);
    });
  });
}

/**
 * Starts mosquitto_sub for one message; `subscribed` resolves when its debug output shows the
 * SUBACK, `lines` with everything it printed (the payload among them) once it exits. The process is killed if it outlives the test.
 */
function mosquittoSub(b: Broker, login: TlsLogin, topic: string) {
  const args = [...mosquittoArgs(b, login), '-d', '-q', '1', '-C', '1', '-W', '10', '-t', topic];
  // stdbuf: piped, mosquitto_sub would hold its debug lines (the SUBACK) until it exits.
  const child = spawn('stdbuf', ['-oL', 'mosquitto_sub', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const subscribed = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('received SUBACK')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`mosquitto_sub exited with ${code}: ${output}`)));
  });
  const lines = new Promise<string[]>((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`mosquitto_sub exited with ${code}: ${output}`));
      resolve(output.split('\n'));
    });
  });
  // Awaited only by the tests that get that far; a failure elsewhere must not be an unhandled rejection.
  subscribed.catch(() => undefined);
  lines.catch(() => undefined);
  return { subscribed, lines, kill: () => child.exitCode === null && child.kill() };
}

describe('MQTT over TLS with optional client certificates', () => {
  it('takes MQTT.js over mqtts with the CA and a password', async () => {
    const b = await start('optional');
    const { gateway, ingest } = b.accounts;
    expect(b.server.addresses()).toMatchObject({ tcp: { port: b.port }, tls: { host: '127.0.0.1' } });
    const reader = await connectTls(b, { username: ingest.username, password: ingest.password });
    expect(await subscribeGranted(reader, 'fs/v1/#')).toBe(1);
    const received = nextMessage(reader, OWN_READINGS);
    const publisher = await b.connect(gateway.username, gateway.password);
    await publisher.publishAsync(OWN_READINGS, READING, { qos: 1 });
    expect(await received).toBe(READING);
  });

  it('takes mosquitto_pub with --cafile and a password, and mosquitto_sub logging in with its certificate', async () => {
    const b = await start('optional');
    const { gateway } = b.accounts;
    const sub = mosquittoSub(b, { certificate: certificates.clients[INGEST] }, 'fs/v1/jinfo/#');
    try {
      await sub.subscribed;
      const published = await mosquittoPub(
        b,
        { username: gateway.username, password: gateway.password },
        OWN_READINGS,
      );
      expect(published).toMatchObject({ code: 0 });
      expect(await sub.lines).toContain(READING);
    } finally {
      sub.kill();
    }
  });

  it('lets a gateway certificate publish under its own prefix without a password, not outside it', async () => {
    const b = await start('optional');
    const { ingest } = b.accounts;
    const reader = await b.connect(ingest.username, ingest.password);
    expect(await subscribeGranted(reader, 'fs/v1/#')).toBe(1);
    const certificate = certificates.clients[GATEWAY];

    const received = nextMessage(reader, OWN_READINGS);
    expect(await mosquittoPub(b, { certificate }, OWN_READINGS)).toMatchObject({ code: 0 });
    expect(await received).toBe(READING);

    const gateway = await connectTls(b, { certificate, username: GATEWAY });
    const again = nextMessage(reader, OWN_READINGS);
    await gateway.publishAsync(OWN_READINGS, 'by certificate', { qos: 1 });
    expect(await again).toBe('by certificate');
    expect(b.logs.some((line) => line.includes('client connected') && line.includes(GATEWAY))).toBe(true);

    const disconnected = closed(gateway);
    gateway.publish(OTHER_READINGS, 'not mine', { qos: 1 });
    await disconnected;
    expect(b.server.stats()).toMatchObject({ publishDenied: 1, authFailures: 0 });
  });

  it('lets a certificate log in while wrong passwords have its account locked out', async () => {
    const b = await start('optional', { accountLockout: { afterFailures: 2, firstLockMs: 60_000 } });
    const { username, password } = b.accounts.gateway;
    for (let i = 0; i < 2; i++) {
      await expect(b.connect(username, 'not-the-secret')).rejects.toMatchObject({ code: 4 });
    }
    await expect(b.connect(username, password)).rejects.toMatchObject({ code: 4 });
    expect(b.server.stats().limitHits.accountLockout).toBe(1);

    const gateway = await connectTls(b, { certificate: certificates.clients[GATEWAY], username: GATEWAY });
    expect(gateway.connected).toBe(true);
  });

  it('refuses a certificate naming no account and a username other than the certificate’s', async () => {
    const b = await start('optional');
    const { ingest } = b.accounts;
    await expect(connectTls(b, { certificate: certificates.clients[UNKNOWN] })).rejects.toMatchObject({
      code: 4,
    });
    const mismatch = {
      certificate: certificates.clients[GATEWAY],
      username: ingest.username,
      password: ingest.password,
    };
    await expect(connectTls(b, mismatch)).rejects.toMatchObject({ code: 4 });
    expect(b.server.stats()).toMatchObject({ authFailures: 2, connections: 0 });
    expect(b.logs.some((line) => line.includes('client certificate names no account'))).toBe(true);
    expect(b.logs.some((line) => line.includes('username does not match the client certificate'))).toBe(true);
  });

  it('ignores a certificate from another CA: its client needs a password', async () => {
    const b = await start('optional');
    const { gateway } = b.accounts;
    const certificate = certificates.foreignClients[GATEWAY];
    await expect(connectTls(b, { certificate })).rejects.toMatchObject({ code: 4 });
    const withPassword = await connectTls(b, {
      certificate,
      username: gateway.username,
      password: gateway.password,
    });
    expect(withPassword.connected).toBe(true);
  });

  it('disconnects a removed account’s certificate client and refuses it afterwards', async () => {
    const b = await start('optional');
    const certificate = certificates.clients[GATEWAY];
    const client = await connectTls(b, { certificate });
    const disconnected = closed(client);
    await removeAccount(b.credentialsFile, GATEWAY);
    await b.server.reloadCredentials();
    await disconnected;
    await expect(connectTls(b, { certificate })).rejects.toMatchObject({ code: 4 });
  });
});

describe('MQTT over TLS with required client certificates', () => {
  it('refuses clients without a certificate or with one from another CA at the TLS layer', async () => {
    const b = await start('required');
    const { gateway } = b.accounts;
    const password = { username: gateway.username, password: gateway.password };
    expect(await tlsOutcome(b, password)).not.toBe('connected');
    expect(await tlsOutcome(b, { certificate: certificates.foreignClients[GATEWAY] })).not.toBe('connected');
    expect((await mosquittoPub(b, password, OWN_READINGS)).code).not.toBe(0);
    expect(b.server.stats().authFailures).toBe(0);
    const refusals = b.logs.filter((line) => line.includes('TLS handshake refused'));
    expect(refusals.length).toBeGreaterThanOrEqual(3);

    const client = await connectTls(b, { certificate: certificates.clients[GATEWAY] });
    await client.publishAsync(OWN_READINGS, READING, { qos: 1 });
  });
});

describe('TLS files', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-tls-files-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function startWith(certFile: string, keyFile: string, caFile?: string): Promise<unknown> {
    const server = new BrokerServer({
      config: {
        host: '127.0.0.1',
        port: 0,
        credentialsFile: join(dir, 'accounts.json'),
        tls: { port: 0, certFile, keyFile, caFile },
      },
      logger: pino({ level: 'silent' }),
    });
    try {
      await server.start();
      return undefined;
    } catch (error) {
      return error;
    } finally {
      await server.stop();
    }
  }

  it('fails the start naming a missing key file', async () => {
    const missing = join(dir, 'missing.key');
    const error = await startWith(certificates.server.cert, missing);
    expect(error).toMatchObject({ code: 'TLS_FILE_UNREADABLE', context: { file: missing } });
    expect((error as Error).message).toContain(missing);
  });

  it('fails the start naming a key that does not belong to the certificate', async () => {
    const wrongKey = certificates.clients[GATEWAY]?.key ?? '';
    const error = await startWith(certificates.server.cert, wrongKey);
    expect(error).toMatchObject({ code: 'TLS_FILE_INVALID', context: { file: wrongKey } });
    expect((error as Error).message).toContain(certificates.server.cert);
  });

  it('fails the start naming a CA file without a certificate in it', async () => {
    const caFile = join(dir, 'empty-ca.crt');
    await writeFile(caFile, 'no certificate here\n');
    const error = await startWith(certificates.server.cert, certificates.server.key, caFile);
    expect(error).toMatchObject({ code: 'TLS_FILE_INVALID', context: { file: caFile } });
  });
});
