import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certificateLogin,
  commonNameOf,
  verifiedCertificateName,
} from '../../../broker/listeners/client-certificate.js';
import { loadTlsCredentials } from '../../../broker/listeners/tls-credentials.js';

describe('client certificate common name', () => {
  it('is the single CN of the subject', () => {
    expect(commonNameOf({ subject: { CN: 'jinfo.cave-gw-1' } })).toBe('jinfo.cave-gw-1');
  });

  it('is absent without a certificate, without a CN, or with several', () => {
    expect(commonNameOf({})).toBeUndefined();
    expect(commonNameOf({ subject: { O: 'fieldstation' } })).toBeUndefined();
    expect(commonNameOf({ subject: { CN: '' } })).toBeUndefined();
    expect(commonNameOf({ subject: { CN: ['jinfo.cave-gw-1', 'svc.ingest'] } })).toBeUndefined();
  });

  it('is never read from a connection that is not TLS', () => {
    expect(verifiedCertificateName({ conn: new PassThrough() })).toBeUndefined();
  });
});

describe('certificate login', () => {
  it('logs in as the CN when the CONNECT has no username or the same one', () => {
    expect(certificateLogin('jinfo.cave-gw-1', undefined)).toEqual({ username: 'jinfo.cave-gw-1' });
    expect(certificateLogin('jinfo.cave-gw-1', '')).toEqual({ username: 'jinfo.cave-gw-1' });
    expect(certificateLogin('jinfo.cave-gw-1', 'jinfo.cave-gw-1')).toEqual({ username: 'jinfo.cave-gw-1' });
  });

  it('refuses a username other than the CN', () => {
    expect(certificateLogin('jinfo.cave-gw-1', 'svc.ingest')).toEqual({
      refusal: 'username does not match the client certificate (jinfo.cave-gw-1)',
    });
  });
});

describe('TLS files', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-tls-unit-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names a missing certificate file', async () => {
    const certFile = join(dir, 'missing.crt');
    await expect(loadTlsCredentials({ certFile, keyFile: join(dir, 'missing.key') })).rejects.toMatchObject({
      code: 'TLS_FILE_UNREADABLE',
      context: { file: certFile },
      message: expect.stringContaining(certFile),
    });
  });

  it('names a certificate file that is not PEM', async () => {
    const certFile = join(dir, 'garbage.crt');
    const keyFile = join(dir, 'garbage.key');
    await writeFile(certFile, 'not a certificate');
    await writeFile(keyFile, 'not a key');
    await expect(loadTlsCredentials({ certFile, keyFile })).rejects.toMatchObject({
      code: 'TLS_FILE_INVALID',
      context: { file: certFile },
    });
  });
});
