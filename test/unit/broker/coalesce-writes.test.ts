import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWrites } from '../../../broker/listeners/coalesce-writes.js';

// Against a real loopback TCP connection, written to as mqtt-packet's writeToStream writes for Aedes:
// cork, write the packet's parts, uncork on the next tick.

function writePacket(stream: Socket, bytes: readonly number[]): void {
  stream.cork();
  stream.write(Buffer.from(bytes.slice(0, 2)));
  stream.write(Buffer.from(bytes.slice(2)));
  process.nextTick(() => stream.uncork());
}

let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** The broker's end of a fresh connection, coalescing, with a count of the writes it makes, and the client's end. */
async function connection(): Promise<{ broker: Socket; client: Socket; writes: () => number }> {
  server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const [broker] = (await accepted) as [Socket];
  sockets.push(broker, client);
  let writes = 0;
  const counted = broker as Socket & {
    _writev: (...args: unknown[]) => unknown;
    _write: (...args: unknown[]) => unknown;
  };
  for (const method of ['_writev', '_write'] as const) {
    const original = counted[method].bind(broker);
    counted[method] = (...args: unknown[]) => {
      writes += 1;
      return original(...args);
    };
  }
  coalesceWrites(broker);
  return { broker, client, writes: () => writes };
}

const puback = (messageId: number) => [0x40, 2, 0, messageId];

async function received(client: Socket, bytes: number): Promise<Buffer> {
  let data = Buffer.alloc(0);
  while (data.length < bytes) data = Buffer.concat([data, (await once(client, 'data'))[0] as Buffer]);
  return data;
}

describe('coalesceWrites', () => {
  it('sends the packets written in one turn of the event loop, each from its own callback, in one write', async () => {
    const { broker, client, writes } = await connection();
    const arriving = received(client, 12);
    // As Aedes delivers: each packet from a setImmediate callback of its own, in one turn.
    for (const id of [1, 2, 3]) setImmediate(() => writePacket(broker, puback(id)));
    const data = await arriving;
    expect([...data]).toEqual([0x40, 2, 0, 1, 0x40, 2, 0, 2, 0x40, 2, 0, 3]);
    expect(writes()).toBe(1);
  });

  it('sends what was written before the connection is destroyed', async () => {
    const { broker, client } = await connection();
    const arriving = received(client, 4);
    writePacket(broker, [0x20, 2, 0, 2]);
    broker.destroy();
    expect([...(await arriving)]).toEqual([0x20, 2, 0, 2]);
  });
});
