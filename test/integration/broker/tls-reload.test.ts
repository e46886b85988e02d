import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { copyFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { connectAsync } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import { makeTestCertificates, type TestCertificates } from '../../harness/tls-certs.js';
import { type RunningBroker, startBroker } from './broker-fixture.js';

// A renewed certificate put in force without a restart, on the mqtts and wss listeners, with
// the files replaced the way certbot and cp do it, and a broken file that leaves the old one in force.

const ACCOUNTS = { ingest: { kind: 'service', name: 'ingest' } } satisfies Record<string, AccountSpec>;

let certificates: TestCertificates;
let ca: Buffer;
let dir: string;
let broker: RunningBroker<keyof typeof ACCOUNTS> | undefined;

beforeAll(async () => {
  certificates = await makeTestCertificates([]);
  ca = await readFile(certificates.caFile);
});

afterAll(async () => {
  await certificates?.remove();
});

afterEach(async () => {
  await broker?.stop();
  broker = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** The serial number of the certificate a TLS handshake with this port presents. */
async function servedSerial(port: number): Promise<string> {
  const socket = connectTls({ host: '127.0.0.1', port, ca, servername: 'localhost' });
  try {
    await once(socket, 'secureConnect');
    return socket.getPeerX509Certificate()?.serialNumber ?? 'none';
  } finally {
    socket.destroy();
  }
}

async function serialOf(certFile: string): Promise<string> {
  return new X509Certificate(await readFile(certFile)).serialNumber;
}

/** Replaces a file in one step, as certbot and most deploy scripts do: a reader never sees half of it. */
async function replace(file: string, content: Buffer | string): Promise<void> {
  const temp = `${file}.new`;
  await writeFile(temp, content);
  await rename(temp, file);
}

function reloads(b: RunningBroker, msg: string): Record<string, unknown>[] {
  return b.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === msg);
}

async function startWithLiveFiles(): Promise<{
  b: RunningBroker<'ingest'>;
  certFile: string;
  keyFile: string;
}> {
  dir = await mkdtemp(join(tmpdir(), 'fs-tls-live-'));
  const certFile = join(dir, 'server.crt');
  const keyFile = join(dir, 'server.key');
  await copyFile(certificates.server.cert, certFile);
  await copyFile(certificates.server.key, keyFile);
  const listeners = {
    tls: { port: 0, certFile, keyFile },
    websocket: { port: 0, certFile, keyFile },
  };
  broker = await startBroker({ accounts: ACCOUNTS, listeners });
  return { b: broker, certFile, keyFile };
}

function ports(b: RunningBroker): { tls: number; wss: number } {
  const addresses = b.server.addresses();
  return { tls: addresses?.tls?.port ?? -1, wss: addresses?.websocket?.port ?? -1 };
}

describe('TLS certificates reloaded without a restart', () => {
  it('serves a renewed certificate to new connections on mqtts and wss, and logs it', async () => {
    const { b, certFile, keyFile } = await startWithLiveFiles();
    const { tls, wss } = ports(b);
    expect(await servedSerial(tls)).toBe(await serialOf(certificates.server.cert));
    const { ingest } = b.accounts;
    const before = await connectAsync(`mqtts://127.0.0.1:${tls}`, { ...ingest, ca, reconnectPeriod: 0 });

    const renewed = await certificates.issueServer('renewed');
    await replace(keyFile, await readFile(renewed.key));
    await replace(certFile, await readFile(renewed.cert));
    const serial = await serialOf(renewed.cert);
    await vi.waitFor(() => expect(reloads(b, 'TLS certificate reloaded')).toHaveLength(2), {
      timeout: 10_000,
    });
    expect(
      reloads(b, 'TLS certificate reloaded')
        .map((entry) => [entry.listener, entry.serialNumber])
        .sort(),
    ).toEqual([
      ['mqtts', serial],
      ['wss', serial],
    ]);
    expect(await servedSerial(tls)).toBe(serial);
    expect(await servedSerial(wss)).toBe(serial);
    // A connection opened before keeps going.
    await before.publishAsync('fs/v1/alerts/jinfo/co2', 'still here', { qos: 1 });
    await before.endAsync();
    const after = await connectAsync(`mqtts://127.0.0.1:${tls}`, { ...ingest, ca, reconnectPeriod: 0 });
    await after.endAsync();
  });

  it('keeps the certificate in force when a new file is broken, and says which file and why', async () => {
    const { b, certFile } = await startWithLiveFiles();
    const { tls } = ports(b);
    const original = await serialOf(certificates.server.cert);
    await replace(certFile, 'not a certificate\n');
    await vi.waitFor(
      () =>
        expect(reloads(b, 'TLS files not reloaded; the previous certificate stays in force')).toHaveLength(2),
      {
        timeout: 10_000,
      },
    );
    const [refusal] = reloads(b, 'TLS files not reloaded; the previous certificate stays in force');
    expect(refusal).toMatchObject({
      level: 50,
      err: { code: 'TLS_FILE_INVALID', message: expect.stringContaining(certFile) },
    });
    expect(await servedSerial(tls)).toBe(original);

    // A key that does not belong to the certificate (a renewal half done) is refused the same way.
    const renewed = await certificates.issueServer('half-renewed');
    await replace(certFile, await readFile(renewed.cert));
    await vi.waitFor(
      () =>
        expect(reloads(b, 'TLS files not reloaded; the previous certificate stays in force')).toHaveLength(4),
      {
        timeout: 10_000,
      },
    );
    expect(await servedSerial(tls)).toBe(original);
    expect(reloads(b, 'TLS certificate reloaded')).toHaveLength(0);
  });
});
