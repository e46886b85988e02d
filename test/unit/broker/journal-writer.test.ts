import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeJournal, encodeRecord } from '../../../broker/persistence/journal/journal-format.js';
import type { StateChange } from '../../../broker/persistence/journal/journal-records.js';
import { JournalWriter, WRITE_AT_CHARS } from '../../../broker/persistence/journal/journal-writer.js';
import { tempDir } from '../../harness/temp-dir.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function enqueue(index: number, bytes: number): StateChange {
  const packet = { cmd: 'publish', topic: `t/${index}`, payload: Buffer.alloc(bytes, index % 256), qos: 1 };
  return { t: 'enqueue', clients: ['ingest'], packet };
}

describe('JournalWriter', () => {
  it('writes within a long turn once its records reach WRITE_AT_CHARS, in order, as whole frames', async () => {
    const file = join(tempDir('fs-journal-writer'), 'journal');
    const writer = await JournalWriter.open(
      {
        file,
        fsync: 'never',
        fsyncIntervalMs: 1000,
        compactAfterBytes: 1 << 30,
        snapshot: () => '',
        onFailure: () => {},
      },
      0,
    );
    const changes = Array.from({ length: 40 }, (_, index) => enqueue(index, 3000));
    const written = changes.map((change) => writer.append(encodeRecord(change), true));
    expect(statSync(file).size).toBeGreaterThan(WRITE_AT_CHARS);
    await turn();
    await Promise.all(written);
    await writer.close();
    const decoded = decodeJournal(readFileSync(file));
    expect(decoded.changes).toEqual(changes);
    expect(decoded.tornBytes).toBe(0);
  });
});
