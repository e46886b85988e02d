import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ListenerAddress {
  host: string;
  port: number;
}

/** Where every listener hands a new connection: the broker's one accept path. */
export type AcceptConnection = (stream: Duplex, request?: IncomingMessage) => void;

/** One transport the broker listens on. */
export interface Listener {
  /** How operators and /healthz name it: mqtt, mqtts, ws or wss. */
  readonly name: string;
  readonly listening: boolean;
  start(): Promise<ListenerAddress>;
  /** Stops accepting; resolves once the connections it accepted have ended (the broker ends them). */
  stop(): Promise<void>;
}

export function listen(server: Server, port: number, host: string): Promise<ListenerAddress> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({ host: address.address, port: address.port });
    });
  });
}

export function close(server: Server | undefined): Promise<void> {
  if (server?.listening !== true) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}
