import { createServer, type Server } from 'node:tls';
import type { Logger } from 'pino';
import { type AcceptConnection, close, type Listener, type ListenerAddress, listen } from './listener.js';
import type { TlsListenerConfig } from './listener-config.js';
import { loadTlsCredentials } from './tls-credentials.js';
import { TlsReloader } from './tls-reloader.js';

export interface TlsListenerOptions {
  config: TlsListenerConfig;
  /** The listen address when the config names none. */
  defaultHost: string;
  accept: AcceptConnection;
  logger: Logger;
}

/**
 * MQTT over TLS. The files are read at start, so a missing or broken one fails the start with its
 * name, and again whenever they change (TlsReloader). Whether a client certificate identifies an account is the authenticate hook's business: it
 * reads the verified peer certificate from the socket this listener hands over.
 */
export class TlsListener implements Listener {
  readonly #options: TlsListenerOptions;
  #server: Server | undefined;
  #reloader: TlsReloader | undefined;
  readonly name = 'mqtts';

  constructor(options: TlsListenerOptions) {
    this.#options = options;
  }

  get listening(): boolean {
    return this.#server?.listening === true;
  }

  async start(): Promise<ListenerAddress> {
    const { config, defaultHost, accept, logger } = this.#options;
    const mode = config.clientCertificates;
    const loaded = await loadTlsCredentials(config);
    const server = createServer(
      {
        ...loaded,
        requestCert: mode !== 'off',
        // 'optional' lets unverified clients through to the password check; the hook ignores their certificate.
        rejectUnauthorized: mode === 'required',
      },
      (socket) => accept(socket),
    );
    server.on('tlsClientError', (error, socket) =>
      logger.warn({ remoteAddress: socket.remoteAddress, reason: error.message }, 'TLS handshake refused'),
    );
    this.#server = server;
    const address = await listen(server, config.port, config.host ?? defaultHost);
    this.#reloader = new TlsReloader({ listener: this.name, files: config, loaded, server, logger });
    this.#reloader.start();
    return address;
  }

  stop(): Promise<void> {
    this.#reloader?.stop();
    this.#reloader = undefined;
    const server = this.#server;
    this.#server = undefined;
    return close(server);
  }
}
