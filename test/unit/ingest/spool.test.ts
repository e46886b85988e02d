import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spool, SpoolConfigSchema, SpoolFullError } from '../../../ingest/spool/spool.js';
import { takeLines } from '../../../ingest/spool/spool-chunk.js';
import { tempDir } from '../../harness/temp-dir.js';

const config = (overrides: Partial<ReturnType<typeof SpoolConfigSchema.parse>> = {}) =>
  SpoolConfigSchema.parse({ fsync: 'never', ...overrides });

async function open(dir = tempDir('fs-spool'), overrides = {}) {
  const spool = new Spool(dir, config(overrides));
  const recovered = await spool.open();
  return { spool, dir, recovered };
}

describe('takeLines', () => {
  it('takes whole lines only, apart notes from points, and at most maxLines points', () => {
    const chunk = Buffer.from('a 1\n#seq x y 1 0\nb 2\nc 3\npartial');
    expect(takeLines(chunk, 10)).toEqual({
      points: ['a 1', 'b 2', 'c 3'],
      notes: ['#seq x y 1 0'],
      bytes: 25,
    });
    expect(takeLines(chunk, 2)).toEqual({ points: ['a 1', 'b 2'], notes: ['#seq x y 1 0'], bytes: 21 });
  });
});

describe('Spool', () => {
  it('reads back what was appended, in order, and forgets nothing until it is confirmed', async () => {
    const { spool } = await open();
    spool.append('a 1\nb 2\n');
    spool.append('c 3\n');
    expect(spool.pendingBytes).toBe(12);
    const first = spool.read(2, 1024);
    expect(first).toMatchObject({ points: ['a 1', 'b 2'], bytes: 8 });
    expect(spool.read(10, 1024)).toMatchObject({ points: ['c 3'], bytes: 4 });
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
    expect(again.spool.read(10, 1024)).toMatchObject({ points: ['a 1', 'b 2', 'c 3'] });
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
    expect(spool.read(10, 1024)).toMatchObject({ points: ['c 3'] });
    spool.close();
  });

  it('reads a line longer than the byte budget whole', async () => {
    const { spool } = await open();
    const long = `x ${'9'.repeat(5000)}`;
    spool.append(`${long}\nshort 1\n`);
    expect(spool.read(10, 100)?.points[0]).toBe(long);
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
