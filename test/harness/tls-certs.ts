import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths of a PEM certificate and its private key. */
export interface CertificatePair {
  cert: string;
  key: string;
}

export interface TestCertificates {
  dir: string;
  /** The CA the broker trusts, and that signed the server's and the clients' certificates. */
  caFile: string;
  /** For 127.0.0.1 and localhost. */
  server: CertificatePair;
  /** Client certificates signed by the CA, by common name. */
  clients: Record<string, CertificatePair>;
  /** Client certificates with the same common names, signed by a CA the broker does not trust. */
  foreignClients: Record<string, CertificatePair>;
  /** Another server certificate from the same CA, as a renewal makes one. */
  issueServer(file: string): Promise<CertificatePair>;
  remove(): Promise<void>;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const SERVER_EXTENSIONS =
  'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n';
const CLIENT_EXTENSIONS = 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n';

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('openssl not found; install with: sudo apt-get install -y openssl', { cause: error });
    }
    throw error;
  }
}

async function makeCa(dir: string, name: string): Promise<CertificatePair> {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  await openssl([
    ...['req', '-x509', '-new', ...EC_KEY, '-days', '2', '-subj', `/CN=${name}`],
    ...['-keyout', pair.key, '-out', pair.cert],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
  return pair;
}

async function issue(dir: string, ca: CertificatePair, file: string, commonName: string, extensions: string) {
  const pair = { cert: join(dir, `${file}.crt`), key: join(dir, `${file}.key`) };
  const request = join(dir, `${file}.csr`);
  const extfile = join(dir, `${file}.ext`);
  await writeFile(extfile, extensions);
  await openssl([
    'req',
    '-new',
    ...EC_KEY,
    '-subj',
    `/CN=${commonName}`,
    '-keyout',
    pair.key,
    '-out',
    request,
  ]);
  await openssl([
    ...['x509', '-req', '-in', request, '-CA', ca.cert, '-CAkey', ca.key],
    ...[
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      '2',
      '-extfile',
      extfile,
      '-out',
      pair.cert,
    ],
  ]);
  return pair;
}

/**
 * A throwaway CA with a server certificate and client certificates, made by the openssl binary
 * (as an operator would) in a temp dir; `foreignClientNames` get certificates from a second CA.
 */
export async function makeTestCertificates(
  clientNames: readonly string[],
  foreignClientNames: readonly string[] = [],
): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'fs-tls-'));
  try {
    const ca = await makeCa(dir, 'ca');
    const foreignCa = await makeCa(dir, 'foreign-ca');
    const server = await issue(dir, ca, 'server', 'localhost', SERVER_EXTENSIONS);
    const clients: Record<string, CertificatePair> = {};
    for (const name of clientNames)
      clients[name] = await issue(dir, ca, `client-${name}`, name, CLIENT_EXTENSIONS);
    const foreignClients: Record<string, CertificatePair> = {};
    for (const name of foreignClientNames) {
      foreignClients[name] = await issue(dir, foreignCa, `foreign-${name}`, name, CLIENT_EXTENSIONS);
    }
    return {
      dir,
      caFile: ca.cert,
      server,
      clients,
      foreignClients,
      issueServer: (file) => issue(dir, ca, file, 'localhost', SERVER_EXTENSIONS),
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
