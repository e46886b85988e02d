import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { acknowledgePerChunk } from '../../../ingest/consumer/acks-per-chunk.js';

/** A connection stand-in that records each write that reaches the "socket", batched or not. */
function connection(): { stream: Duplex; writes: string[][] } {
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
  return { stream, writes };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('acknowledgePerChunk', () => {
  it('sends the PUBACKs written in the turn a chunk arrived in as one write at the end of that turn', async () => {
    const { stream, writes } = connection();
    acknowledgePerChunk(stream);
    stream.on('data', () => {
      stream.write('ack-1');
      stream.write('ack-2');
    });
    stream.push('two publishes');
    await new Promise((resolve) => process.nextTick(resolve));
    expect(writes).toEqual([]);
    await turn();
    await turn();
    expect(writes).toEqual([['ack-1', 'ack-2']]);
  });

  it('writes at once outside a chunk’s turn, and a destroyed connection first sends what it holds', async () => {
    const { stream, writes } = connection();
    acknowledgePerChunk(stream);
    stream.write('later');
    expect(writes).toEqual([['later']]);
    stream.on('data', () => {
      stream.write('last-ack');
      stream.destroy();
    });
    stream.push('publish');
    await turn();
    expect(writes).toEqual([['later'], ['last-ack']]);
  });
});
