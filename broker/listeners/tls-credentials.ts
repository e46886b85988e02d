import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { BrokerError } from '../errors.js';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  caFile?: string | undefined;
}

async function readPem(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new BrokerError(
      'TLS_FILE_UNREADABLE',
      `cannot read the TLS ${what} file ${file} (${reason})`,
      {
        file,
      },
      { cause: error },
    );
  }
}

/** `subject` says which file (or pair of files) was refused. */
function invalid(file: string, subject: string, error: unknown): BrokerError {
  const reason = (error as Error).message;
  return new BrokerError(
    'TLS_FILE_INVALID',
    `${subject} is not usable: ${reason}`,
    { file },
    { cause: error },
  );
}

/** Builds a throwaway context from one part alone first, so a failure names the file that caused it. */
function check(file: string, subject: string, options: SecureContextOptions): void {
  try {
    createSecureContext(options);
  } catch (error) {
    throw invalid(file, subject, error);
  }
}

/** Node accepts a CA file without a single certificate in it and would then verify nobody. */
function checkCa(file: string, ca: Buffer): void {
  try {
    new X509Certificate(ca);
  } catch (error) {
    throw invalid(file, `the TLS CA file ${file}`, error);
  }
}

export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
}

/**
 * Reads the PEM files and checks each, then the pair: errors name the file (missing, unreadable,
 * not PEM, key not matching the certificate) instead of surfacing as an OpenSSL code at handshake.
 * Returns the contents, not a SecureContext: Node's TLS servers ignore a `secureContext` option.
 */
export async function loadTlsCredentials(files: TlsFiles): Promise<TlsCredentials> {
  const { certFile, keyFile, caFile } = files;
  const cert = await readPem(certFile, 'certificate');
  const key = await readPem(keyFile, 'key');
  const ca = caFile === undefined ? undefined : await readPem(caFile, 'CA');
  check(certFile, `the TLS certificate file ${certFile}`, { cert });
  check(keyFile, `the TLS key file ${keyFile}`, { key });
  if (ca !== undefined && caFile !== undefined) checkCa(caFile, ca);
  check(keyFile, `the TLS key file ${keyFile} with the certificate file ${certFile}`, { cert, key });
  return ca === undefined ? { cert, key } : { cert, key, ca };
}
