import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pointLines } from '../../../influx/index.js';
import { Spool, SpoolConfigSchema, SpoolFullError } from '../../../ingest/spool/spool.js';
import { type ChunkLines, takeLines } from '../../../ingest/spool/spool-chunk.js';
import { tempDir } from '../../harness/temp-dir.js';

/** A read with its body as one string per point, to compare with the lines appended. */
function asLines(read: ChunkLines | undefined) {
  if (read === undefined) return undefined;
  const points = pointLines({ text: read.body, points: read.points });
  expect(points).toHaveLength(read.points);
  return { points, notes: read.notes, bytes: read.bytes };
}

const config = (overrides: Partial<ReturnType<typeof SpoolConfigSchema.parse>> = {}) =>
  SpoolConfigSchema.parse({ fsync: 'never', ...overrides });

async function open(dir = tempDir('fs-spool'), overrides = {}) {
  const spool = new Spool(dir, config(overrides));
  const recovered = await spool.open();
  return { spool, dir, recovered };
}

describe('takeLines', () => {
  it('takes whole lines only, apart notes from points, and at most maxLines points', () => {
    const chunk = () => Buffer.from('a 1\n#seq x y 1 0\nb 2\nc 3\npartial');
    expect(asLines(takeLines(chunk(), 10))).toEqual({
      points: ['a 1', 'b 2', 'c 3'],
      notes: ['#seq x y 1 0'],
      bytes: 25,
    });
    expect(asLines(takeLines(chunk(), 2))).toEqual({
      points: ['a 1', 'b 2'],
      notes: ['#seq x y 1 0'],
      bytes: 21,
    });
  });

  it('hands the points over as one body, each line ending in a newline, empty lines and notes left out', () => {
    const chunk = Buffer.from('#n 0\na 1\n\nb 2\n#n 1\n#n 2\nc 3\n#n 3\n');
    const taken = takeLines(chunk, 10);
    expect(taken.body.toString()).toBe('a 1\nb 2\nc 3\n');
    expect(taken).toMatchObject({ points: 3, notes: ['#n 0', '#n 1', '#n 2', '#n 3'], bytes: chunk.length });
  });

  it('takes a run without notes as it is, without copying it', () => {
    const chunk = Buffer.from('a 1\nb 2\npart');
    const taken = takeLines(chunk, 10);
    expect(taken.body.buffer).toBe(chunk.buffer);
    expect(taken.body.toString()).toBe('a 1\nb 2\n');
  });

  it('takes what splitting the text into lines takes, for any mix of points, notes, empty lines and a cut-off tail', () => {
    const line = fc.oneof(
      fc.string({ unit: 'grapheme' }).map((text) => text.replaceAll('\n', ' ')),
      fc.string().map((text) => `#${text.replaceAll('\n', ' ')}`),
      fc.constant(''),
    );
    fc.assert(
      fc.property(fc.array(line), line, fc.integer({ min: 1, max: 20 }), (lines, tail, maxLines) => {
        const taken = takeLines(Buffer.from(`${lines.map((l) => `${l}\n`).join('')}${tail}`), maxLines);
        // The same cut made on strings: whole lines only, up to the maxLines-th point.
        const points: string[] = [];
        const notes: string[] = [];
        let bytes = 0;
        for (const l of lines) {
          if (points.length === maxLines) break;
          if (l.startsWith('#')) notes.push(l);
          else if (l !== '') points.push(l);
          bytes += Buffer.byteLength(l) + 1;
        }
        expect(asLines(taken)).toEqual({ points, notes, bytes });
      }),
    );
  });

  it('leaves an empty body when there are only notes', () => {
    expect(takeLines(Buffer.from('#n 0\n'), 10)).toMatchObject({ points: 0, notes: ['#n 0'], bytes: 5 });
    expect(takeLines(Buffer.from('#n 0\n'), 10).body.length).toBe(0);
  });
});

describe('Spool', () => {
  it('reads back what was appended, in order, and forgets nothing until it is confirmed', async () => {
    const { spool } = await open();
    spool.append('a 1\nb 2\n');
    spool.append('c 3\n');
    expect(spool.pendingBytes).toBe(12);
    const first = spool.read(2, 1024);
    expect(asLines(first)).toMatchObject({ points: ['a 1', 'b 2'], bytes: 8 });
    expect(asLines(spool.read(10, 1024))).toMatchObject({ points: ['c 3'], bytes: 4 });
    expect(spool.read(10, 1024)).toBeUndefined();
    if (first) spool.confirm(first);
    expect(spool.pendingBytes).toBe(4);
    spool.close();
  });

  it('stops taking appends once the backlog reaches maxBytes, and takes them again when it drains', async () => {
    const { spool } = await open(undefined, { maxBytes: 10 });
    spool.append('a 123456\n');
    spool.append('b 1\n');
    expect(spool.full).toBe(true);
    expect(() => spool.append('c 1\n')).toThrow(SpoolFullError);
    const read = spool.read(10, 1024);
    if (read) spool.confirm(read);
    expect(spool.full).toBe(false);
    spool.append('c 1\n');
    spool.close();
  });

  it('hands what a previous run left to the next one, cutting a line a power cut left half-written', async () => {
    const { spool, dir } = await open();
    spool.append('a 1\nb 2\n');
    spool.close();
    const [segment] = readdirSync(dir);
    appendFileSync(join(dir, segment as string), 'c 3\nhalf a li');
    const again = await open(dir);
    expect(again.recovered).toEqual({ recoveredBytes: 12, segments: 1 });
    expect(asLines(again.spool.read(10, 1024))).toMatchObject({ points: ['a 1', 'b 2', 'c 3'] });
    again.spool.close();
  });

  it('deletes a segment once it is sealed, fully confirmed, and covered by the journal', async () => {
    const { spool, dir } = await open(undefined, { segmentBytes: 8 });
    spool.append('a 1\nb 2\n');
    spool.append('c 3\n');
    const files = () => readdirSync(dir).length;
    expect(files()).toBe(2);
    const first = spool.read(10, 1024);
    if (first) spool.confirm(first);
    expect(files()).toBe(2);
    spool.releaseBelow(spool.position.segment);
    expect(files()).toBe(1);
    expect(asLines(spool.read(10, 1024))).toMatchObject({ points: ['c 3'] });
    spool.close();
  });

  it('reads a line longer than the byte budget whole', async () => {
    const { spool } = await open();
    const long = `x ${'9'.repeat(5000)}`;
    spool.append(`${long}\nshort 1\n`);
    expect(asLines(spool.read(10, 100))?.points[0]).toBe(long);
    spool.close();
  });

  it('finds the notes written after a position', async () => {
    const { spool } = await open();
    spool.append('a 1\n#seq s g 1 0\n');
    const position = spool.position;
    spool.append('b 2\n#seq s g 2 0\n');
    expect(spool.notesSince(position)).toEqual(['#seq s g 2 0']);
    expect(spool.notesSince({ segment: 0, offset: 0 })).toEqual(['#seq s g 1 0', '#seq s g 2 0']);
    spool.close();
  });

  it("gives the backlog the age of its oldest unconfirmed byte, not its segment's", async () => {
    let now = 1000;
    const dir = tempDir('fs-spool');
    const spool = new Spool(dir, config(), () => now);
    await spool.open();
    spool.append('a 1\n');
    const read = spool.read(10, 1024);
    if (read) spool.confirm(read);
    expect(spool.oldestPendingSince).toBeUndefined();
    now = 60_000;
    spool.append('b 2\n');
    expect(spool.oldestPendingSince).toBe(60_000);
    spool.close();
  });
});
