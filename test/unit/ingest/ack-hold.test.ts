import { EventEmitter, once } from 'node:events';
import { Duplex } from 'node:stream';
import type { Packet } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { AckHold } from '../../../ingest/consumer/ack-hold.js';

/** An MQTT.js stand-in: announces each packet (`packetsend`) and then writes it to its connection. */
class Client extends EventEmitter {
  constructor(readonly stream: Duplex) {
    super();
  }

  send(cmd: 'puback' | 'pingreq' | 'publish', text: string): void {
    this.emit('packetsend', { cmd } as Packet);
    this.stream.write(text);
  }

  override on(event: 'packetsend', listener: (packet: Packet) => void): this {
    return super.on(event, listener);
  }
}

/** A connection stand-in that records each write that reaches the "socket", batched or not. */
function connection(): { stream: Duplex; client: Client; writes: string[][] } {
  const writes: string[][] = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      writes.push([chunk.toString()]);
      callback();
    },
    writev(chunks, callback) {
      writes.push(chunks.map(({ chunk }) => String(chunk)));
      callback();
    },
  });
  return { stream, client: new Client(stream), writes };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A spool stand-in: what was durable when, and a switch to make the disk refuse. */
function durability(writes: string[][]) {
  const state = { refuse: false, calls: 0, sentWhenDurable: [] as number[], errors: [] as unknown[] };
  let onCall = (): void => {};
  const hold = new AckHold({
    makeDurable: () => {
      state.calls++;
      onCall();
      if (state.refuse) throw new Error('ENOSPC');
      state.sentWhenDurable.push(writes.length);
    },
    onError: (error) => state.errors.push(error),
  });
  const nextCall = (): Promise<void> =>
    new Promise((resolve) => {
      onCall = resolve;
    });
  return { hold, state, nextCall };
}

describe('AckHold', () => {
  it('sends the PUBACKs of one turn as one write at its end, after making their messages durable', async () => {
    const { client, writes } = connection();
    const { hold, state } = durability(writes);
    hold.acknowledge(client, () => client.send('puback', 'ack-1'));
    hold.acknowledge(client, () => client.send('puback', 'ack-2'));
    await new Promise((resolve) => process.nextTick(resolve));
    expect(writes).toEqual([]);
    await turn();
    expect(state.calls).toBe(1);
    expect(state.sentWhenDurable).toEqual([0]);
    await turn();
    expect(writes).toEqual([['ack-1', 'ack-2']]);
    hold.acknowledge(client, () => client.send('puback', 'ack-3'));
    await turn();
    await turn();
    expect(writes).toEqual([['ack-1', 'ack-2'], ['ack-3']]);
    expect(state.calls).toBe(2);
  });

  it('holds the PUBACKs while the disk refuses, says so once, and sends them once it takes the write', async () => {
    const { client, writes } = connection();
    const { hold, state, nextCall } = durability(writes);
    state.refuse = true;
    const firstTry = nextCall();
    hold.acknowledge(client, () => client.send('puback', 'ack-1'));
    await firstTry;
    const secondTry = nextCall();
    await secondTry;
    expect(writes).toEqual([]);
    state.refuse = false;
    const thirdTry = nextCall();
    await thirdTry;
    await turn();
    expect(writes).toEqual([['ack-1']]);
    expect(state.errors).toHaveLength(1);
  });

  it('sends what it holds before a destroy, once durable, and drops it when that fails', async () => {
    const kept = connection();
    const { hold } = durability(kept.writes);
    hold.acknowledge(kept.client, () => kept.client.send('puback', 'last-ack'));
    kept.stream.destroy();
    await turn();
    expect(kept.writes).toEqual([['last-ack']]);

    const dropped = connection();
    const refusing = durability(dropped.writes);
    refusing.state.refuse = true;
    refusing.hold.acknowledge(dropped.client, () => dropped.client.send('puback', 'not-durable'));
    dropped.stream.destroy();
    await turn();
    expect(dropped.writes).toEqual([]);
    expect(refusing.state.errors).toHaveLength(1);
  });

  it('on a closed connection makes the message durable first, and leaves it unacknowledged if it cannot', async () => {
    const { stream, client, writes } = connection();
    const { hold, state } = durability(writes);
    stream.destroy();
    await turn();
    const sent: string[] = [];
    hold.acknowledge(client, () => sent.push('queued-for-reconnect'));
    expect(sent).toEqual(['queued-for-reconnect']);
    expect(state.calls).toBe(1);
    state.refuse = true;
    hold.acknowledge(client, () => sent.push('never'));
    expect(sent).toEqual(['queued-for-reconnect']);
    expect(state.errors).toHaveLength(1);
  });

  // A Duplex whose peer ends it (a FIN from the broker, allowHalfOpen false as for net.Socket) calls
  // end() on itself.
  it.each([
    ['refuses the write', true, []],
    ['takes the write', false, ['PUBACK 1']],
  ])(
    'when the peer ends the connection while the spool %s, sends the held PUBACKs only if durable',
    async (_name, refuse, expected) => {
      const sent: string[] = [];
      const stream = new Duplex({
        allowHalfOpen: false,
        read() {},
        write(chunk: Buffer, _encoding, callback) {
          sent.push(chunk.toString());
          callback();
        },
        writev(chunks, callback) {
          for (const { chunk } of chunks) sent.push(String(chunk));
          callback();
        },
      });
      const client = new Client(stream);
      const errors: unknown[] = [];
      const hold = new AckHold({
        makeDurable: () => {
          if (refuse) throw new Error('ENOSPC');
        },
        onError: (error) => errors.push(error),
      });
      hold.acknowledge(client, () => client.send('puback', 'PUBACK 1'));
      stream.resume();
      stream.push(null);
      await once(stream, 'close');
      expect(sent).toEqual(expected);
      expect(errors).toHaveLength(refuse ? 1 : 0);
    },
  );

  // MQTT.js's keepalive: a PINGREQ that waited behind refused PUBACKs got no PINGRESP, and MQTT.js
  // dropped the connection at every keepalive timeout while the disk refused.
  it('lets other packets leave at once while the PUBACKs wait for a disk that refuses', async () => {
    const { client, writes } = connection();
    const { hold, state, nextCall } = durability(writes);
    state.refuse = true;
    const firstTry = nextCall();
    hold.acknowledge(client, () => client.send('puback', 'ack-1'));
    await firstTry;
    client.send('pingreq', 'PINGREQ');
    await turn();
    expect(writes).toEqual([['PINGREQ']]);
    state.refuse = false;
    await nextCall();
    await turn();
    expect(writes).toEqual([['PINGREQ'], ['ack-1']]);
  });

  it("holds only the PUBACK's own writes, not the packets MQTT.js writes after it within the callback", async () => {
    const { client, writes } = connection();
    const { hold, state } = durability(writes);
    state.refuse = true;
    hold.acknowledge(client, () => {
      client.send('puback', 'ack-1');
      client.send('publish', 'PUBLISH');
    });
    await turn();
    expect(writes).toEqual([['PUBLISH']]);
  });
});
