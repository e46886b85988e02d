import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { AcceptConnection, Listener, ListenerAddress } from './listener.js';
import type { TlsListenerConfig, WebSocketListenerConfig } from './listener-config.js';
import { TcpListener } from './tcp-listener.js';
import { TlsListener } from './tls-listener.js';
import { type WebSocketAddress, WebSocketListener } from './websocket-listener.js';

/** Where each enabled transport listens; plain TCP always does. */
export interface BrokerAddresses {
  tcp: ListenerAddress;
  tls?: ListenerAddress;
  websocket?: WebSocketAddress;
}

export interface ListenerConfig {
  host: string;
  port: number;
  maxPacketBytes: number;
  tls?: TlsListenerConfig | undefined;
  websocket?: WebSocketListenerConfig | undefined;
}

export interface BrokerListenersOptions {
  config: ListenerConfig;
  accept: AcceptConnection;
  onOversizedMessage: (request: IncomingMessage) => void;
  logger: Logger;
}

/** Every transport the configuration enables, started together and stopped together. */
export class BrokerListeners {
  readonly #options: BrokerListenersOptions;
  readonly #listeners: Listener[] = [];
  #addresses: BrokerAddresses | undefined;

  constructor(options: BrokerListenersOptions) {
    this.#options = options;
  }

  /** A listener that fails to start (port taken, TLS file missing) fails the start; the others are closed. */
  async start(): Promise<BrokerAddresses> {
    const { config, accept, logger } = this.#options;
    try {
      const tcp = await this.#track(
        new TcpListener({ host: config.host, port: config.port, accept }),
      ).start();
      const addresses: BrokerAddresses = { tcp };
      if (config.tls !== undefined) {
        const tls = new TlsListener({ config: config.tls, defaultHost: config.host, accept, logger });
        addresses.tls = await this.#track(tls).start();
      }
      if (config.websocket !== undefined)
        addresses.websocket = await this.#track(this.#websocket(config.websocket)).start();
      this.#addresses = addresses;
      return addresses;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Undefined until started. */
  addresses(): BrokerAddresses | undefined {
    return this.#addresses;
  }

  states(): { name: string; listening: boolean }[] {
    return this.#listeners.map(({ name, listening }) => ({ name, listening }));
  }

  async stop(): Promise<void> {
    const listeners = this.#listeners.splice(0);
    this.#addresses = undefined;
    await Promise.all(listeners.map((listener) => listener.stop()));
  }

  /** Kept before it starts, so a failed start still closes what it opened. */
  #track<L extends Listener>(listener: L): L {
    this.#listeners.push(listener);
    return listener;
  }

  #websocket(config: WebSocketListenerConfig): WebSocketListener {
    const { accept, onOversizedMessage, logger } = this.#options;
    const { host, maxPacketBytes } = this.#options.config;
    return new WebSocketListener({
      config,
      defaultHost: host,
      maxPacketBytes,
      accept,
      onOversizedMessage,
      logger,
    });
  }
}
