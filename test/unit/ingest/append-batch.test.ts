import { describe, expect, it } from 'vitest';
import { AppendBatch, WRITE_AT_CHARS } from '../../../ingest/spool/append-batch.js';
import { Spool, SpoolConfigSchema, SpoolFullError } from '../../../ingest/spool/spool.js';
import { tempDir } from '../../harness/temp-dir.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A real spool whose appends are counted, and which can be made to refuse writes. */
async function openSpool(maxBytes?: number) {
  const spool = new Spool(tempDir('fs-batch'), SpoolConfigSchema.parse({ fsync: 'never', maxBytes }));
  await spool.open();
  const writes: string[] = [];
  const state = { refuse: false };
  const counted = {
    checkRoom: () => spool.checkRoom(),
    append: (text: string) => {
      if (state.refuse) throw new Error('EIO: i/o error, write');
      writes.push(text);
      spool.append(text);
    },
  };
  return { spool, counted, writes, state };
}

describe('AppendBatch', () => {
  it('writes the appends of one turn in one write, in order, at the end of the turn', async () => {
    const { spool, counted, writes } = await openSpool();
    const batch = new AppendBatch(counted, () => {});
    batch.add('a 1\n');
    batch.add('b 2\n#seq s g 1 0\n');
    expect(writes).toEqual([]);
    expect(batch.pendingChars).toBe(21);
    await turn();
    expect(writes).toEqual(['a 1\nb 2\n#seq s g 1 0\n']);
    const read = spool.read(10, 1024);
    expect(read).toMatchObject({ points: 2, notes: ['#seq s g 1 0'] });
    expect(read?.body.toString()).toBe('a 1\nb 2\n');
    batch.add('c 3\n');
    batch.flush();
    batch.flush();
    expect(writes).toEqual(['a 1\nb 2\n#seq s g 1 0\n', 'c 3\n']);
    spool.close();
  });

  it('writes within a long turn once its texts reach WRITE_AT_CHARS, keeping their order', async () => {
    const { spool, counted, writes } = await openSpool();
    const batch = new AppendBatch(counted, () => {});
    const line = `${'x'.repeat(99)}\n`;
    const lines = Math.ceil(WRITE_AT_CHARS / line.length);
    for (let i = 0; i < lines; i++) batch.add(line);
    expect(writes).toHaveLength(1);
    expect(batch.pendingChars).toBe(0);
    batch.add('tail 1\n');
    expect(writes).toHaveLength(1);
    await turn();
    expect(writes.join('')).toBe(`${line.repeat(lines)}tail 1\n`);
    spool.close();
  });

  it('keeps a long turn whose write within the turn fails, says so once, and refuses more until one succeeds', async () => {
    const { spool, counted, writes, state } = await openSpool();
    const errors: unknown[] = [];
    const batch = new AppendBatch(counted, (error) => errors.push(error));
    state.refuse = true;
    const big = `${'y'.repeat(WRITE_AT_CHARS - 1)}\n`;
    batch.add(big);
    expect(errors).toHaveLength(1);
    expect(() => batch.add('b 2\n')).toThrow('EIO');
    state.refuse = false;
    batch.add('b 2\n');
    batch.flush();
    expect(writes).toEqual([big, 'b 2\n']);
    expect(errors).toHaveLength(1);
    batch.stop();
    spool.close();
  });

  it('keeps the texts when the write fails, refuses more until one succeeds, and says so once', async () => {
    const { spool, counted, writes, state } = await openSpool();
    const errors: unknown[] = [];
    const batch = new AppendBatch(counted, (error) => errors.push(error));
    state.refuse = true;
    batch.add('a 1\n');
    expect(() => batch.flush()).toThrow('EIO');
    expect(() => batch.add('b 2\n')).toThrow('EIO');
    await turn();
    expect(errors).toEqual([]);
    state.refuse = false;
    batch.add('b 2\n');
    expect(writes).toEqual(['a 1\n']);
    batch.flush();
    expect(writes).toEqual(['a 1\n', 'b 2\n']);
    batch.stop();
    spool.close();
  });

  it('reports a failed end-of-turn write once and retries it on its own', async () => {
    const { spool, counted, writes, state } = await openSpool();
    let reported: () => void = () => {};
    const firstReport = new Promise<void>((resolve) => {
      reported = resolve;
    });
    const errors: unknown[] = [];
    const batch = new AppendBatch(counted, (error) => {
      errors.push(error);
      reported();
    });
    state.refuse = true;
    batch.add('a 1\n');
    await firstReport;
    state.refuse = false;
    await new Promise<void>((resolve) => spool.onAppend(resolve));
    expect(writes).toEqual(['a 1\n']);
    expect(errors).toHaveLength(1);
    batch.stop();
    spool.close();
  });

  it('refuses an append when the spool is full, as the spool itself does', async () => {
    const { spool, counted } = await openSpool(10);
    const batch = new AppendBatch(counted, () => {});
    batch.add('a 123456789\n');
    batch.flush();
    expect(() => batch.add('b 1\n')).toThrow(SpoolFullError);
    spool.close();
  });
});
