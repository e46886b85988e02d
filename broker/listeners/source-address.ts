import type { Socket } from 'node:net';
import type { Client } from 'aedes';

/** TCP and TLS sockets know their peer; a WebSocket stream does not, its upgrade request does. */
export function sourceAddress(client: Pick<Client, 'conn' | 'req'>): string {
  const { remoteAddress } = client.conn as Partial<Socket>;
  return remoteAddress ?? client.req?.socket.remoteAddress ?? 'unknown';
}
