import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeJournal,
  encodeFrame,
  encodeRecord,
} from '../../../broker/persistence/journal/journal-format.js';
import type { StateChange } from '../../../broker/persistence/journal/journal-records.js';

const enqueue: StateChange = {
  t: 'enqueue',
  clients: ['fs-ingest'],
  packet: {
    cmd: 'publish',
    brokerId: 'b1',
    brokerCounter: 7,
    topic: 'fs/v1/jinfo/cave-1/readings',
    payload: Buffer.from('{"v":1,"seq":1,"readings":[]}\n\u00e9'),
    qos: 1,
    retain: false,
    dup: false,
  },
};
const sent: StateChange = { t: 'sent', client: 'fs-ingest', brokerId: 'b1', brokerCounter: 7, messageId: 3 };
const pubrel: StateChange = { t: 'update', client: 'fs-ingest', packet: { cmd: 'pubrel', messageId: 3 } };
const clear: StateChange = { t: 'clear', client: 'fs-ingest', messageId: 3 };

function journalOf(...frames: StateChange[][]): Buffer {
  return Buffer.concat(frames.map((changes) => encodeFrame(changes.map(encodeRecord).join(''))));
}

describe('journal frames', () => {
  it('decode to the changes encoded, for every record that carries a payload, however few its fields', () => {
    const payload = Buffer.from([0, 0x22, 0x5c, 0x0a, 0xff]);
    const changes: StateChange[] = [
      { t: 'retain', packet: { topic: 'a/b', payload } },
      { t: 'retain', packet: { payload } },
      { t: 'update', client: 'c', packet: { cmd: 'publish', payload, messageId: 1 } },
      { t: 'incoming', client: 'c', packet: { cmd: 'publish', topic: 'a', payload: Buffer.alloc(0) } },
      { t: 'will', client: 'c', packet: { topic: 'w', payload, qos: 1 } },
      enqueue,
    ];
    const content = journalOf(changes);
    expect(decodeJournal(content).changes).toEqual(changes);
    for (const change of changes) expect(encodeRecord(change).endsWith('}\n')).toBe(true);
  });

  it('decode to the changes encoded, payload bytes and all', () => {
    const content = journalOf([enqueue, sent], [pubrel], [clear]);
    expect(decodeJournal(content)).toEqual({
      changes: [enqueue, sent, pubrel, clear],
      intactBytes: content.length,
      tornBytes: 0,
    });
  });

  it('stop before a frame cut short at any byte, counting what follows the last whole one as torn', () => {
    const first = journalOf([enqueue]);
    const content = journalOf([enqueue], [sent, clear]);
    for (let cut = first.length + 1; cut < content.length; cut++) {
      expect(decodeJournal(content.subarray(0, cut))).toEqual({
        changes: [enqueue],
        intactBytes: first.length,
        tornBytes: cut - first.length,
      });
    }
  });

  it('trust nothing from a damaged frame on, though later frames are whole', () => {
    const first = journalOf([enqueue]);
    const content = journalOf([enqueue], [sent], [clear]);
    content[first.length + 20] = (content[first.length + 20] ?? 0) ^ 0x01;
    const decoded = decodeJournal(content);
    expect(decoded.changes).toEqual([enqueue]);
    expect(decoded.intactBytes).toBe(first.length);
    expect(decoded.tornBytes).toBe(content.length - first.length);
  });

  it('refuse a frame whose checksum matches but whose record is not one', () => {
    const content = encodeFrame('{"t":"enqueue","clients":"not a list"}\n');
    expect(decodeJournal(content)).toMatchObject({ changes: [], intactBytes: 0, tornBytes: content.length });
  });

  it('read an empty journal as no changes', () => {
    expect(decodeJournal(Buffer.alloc(0))).toEqual({ changes: [], intactBytes: 0, tornBytes: 0 });
  });
});

describe('journal records with a payload', () => {
  it('decode to what was encoded, whatever the topic, client id and payload bytes', () => {
    const packet = fc.record(
      {
        cmd: fc.constantFrom('publish', 'pubrel'),
        brokerId: fc.string(),
        brokerCounter: fc.nat(),
        topic: fc.string({ unit: 'binary' }),
        payload: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
        qos: fc.constantFrom(0, 1, 2),
        retain: fc.boolean(),
        messageId: fc.nat({ max: 65535 }),
        properties: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
      },
      { requiredKeys: ['payload'] },
    );
    const change = fc.oneof(
      packet.map((p): StateChange => ({ t: 'retain', packet: p })),
      fc
        .tuple(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 3 }), packet)
        .map(([clients, p]): StateChange => ({ t: 'enqueue', clients, packet: p })),
      fc
        .tuple(fc.string({ unit: 'binary' }), packet)
        .map(([client, p]): StateChange => ({ t: 'will', client, packet: p })),
    );
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 5 }), (changes) => {
        expect(decodeJournal(journalOf(changes)).changes).toEqual(changes);
      }),
    );
  });
});
