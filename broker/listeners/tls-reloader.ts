import { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import { FilesWatcher } from '../files-watcher.js';
import { loadTlsCredentials, type TlsCredentials, type TlsFiles } from './tls-credentials.js';

/** A TLS server whose certificate, key and CA can be swapped for new connections (tls.Server, https.Server). */
export interface SecureContextHolder {
  setSecureContext(options: TlsCredentials): void;
}

export interface TlsReloaderOptions {
  /** The listener's name in logs: mqtts or wss. */
  listener: string;
  files: TlsFiles;
  /** What the server was started with. */
  loaded: TlsCredentials;
  server: SecureContextHolder;
  logger: Logger;
  /** Also re-read the files this often, for mounts whose changes fs.watch does not see. */
  pollMs?: number;
  debounceMs?: number;
}

/** A renewal writes the certificate and the key one after the other: both are read once the burst is over. */
const DEFAULT_DEBOUNCE_MS = 500;
const DEFAULT_POLL_MS = 60_000;

function same(a: TlsCredentials, b: TlsCredentials): boolean {
  const equal = (x: Buffer | undefined, y: Buffer | undefined) =>
    x === undefined || y === undefined ? x === y : x.equals(y);
  return equal(a.cert, b.cert) && equal(a.key, b.key) && equal(a.ca, b.ca);
}

/**
 * Puts a renewed certificate, key or CA in force without a restart: a station on a remote mountain
 * renews its certificate with nobody there to restart the broker. The files are read again when
 * they change and checked as at start; new connections get them, open ones keep theirs. A broken
 * or half-written set leaves the previous one in force, and the log says which file and why.
 */
export class TlsReloader {
  readonly #options: TlsReloaderOptions;
  readonly #watcher: FilesWatcher;
  #current: TlsCredentials;

  constructor(options: TlsReloaderOptions) {
    this.#options = options;
    this.#current = options.loaded;
    const { certFile, keyFile, caFile } = options.files;
    this.#watcher = new FilesWatcher({
      files: caFile === undefined ? [certFile, keyFile] : [certFile, keyFile, caFile],
      onChange: () => this.#reload(),
      onError: (error) => this.#refused(error),
      debounceMs: options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
      pollMs: options.pollMs ?? DEFAULT_POLL_MS,
    });
  }

  start(): void {
    this.#watcher.start();
  }

  stop(): void {
    this.#watcher.stop();
  }

  async #reload(): Promise<void> {
    const next = await loadTlsCredentials(this.#options.files);
    if (same(next, this.#current) || !this.#watcher.watching) return;
    this.#options.server.setSecureContext(next);
    this.#current = next;
    const certificate = new X509Certificate(next.cert);
    this.#options.logger.info(
      {
        listener: this.#options.listener,
        certFile: this.#options.files.certFile,
        subject: certificate.subject,
        serialNumber: certificate.serialNumber,
        validTo: certificate.validTo,
      },
      'TLS certificate reloaded',
    );
  }

  #refused(error: unknown): void {
    this.#options.logger.error(
      { listener: this.#options.listener, err: error },
      'TLS files not reloaded; the previous certificate stays in force',
    );
  }
}
