import { createServer, type Server } from 'node:net';
import { type AcceptConnection, close, type Listener, type ListenerAddress, listen } from './listener.js';

export interface TcpListenerOptions {
  host: string;
  port: number;
  accept: AcceptConnection;
}

/** Plain MQTT over TCP. */
export class TcpListener implements Listener {
  readonly #options: TcpListenerOptions;
  #server: Server | undefined;
  readonly name = 'mqtt';

  constructor(options: TcpListenerOptions) {
    this.#options = options;
  }

  get listening(): boolean {
    return this.#server?.listening === true;
  }

  start(): Promise<ListenerAddress> {
    const { host, port, accept } = this.#options;
    this.#server = createServer((socket) => accept(socket));
    return listen(this.#server, port, host);
  }

  stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    return close(server);
  }
}
