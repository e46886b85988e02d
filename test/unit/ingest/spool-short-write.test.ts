import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../harness/temp-dir.js';

// Spool.append once took writeSync's count as written and never checked it against the
// text's length: a short write (a disk that fills in the middle of the turn's one write) returned
// as a success, and the turn's PUBACKs left for lines that were not spooled.
describe('AppendBatch.flush on a short write', () => {
  it('throws (or writes everything) rather than report a partial write as done', () => {
    const dir = tempDir('fs-short-write');
    const child = join(import.meta.dirname, 'spool-short-write-child.ts');
    // 8 blocks of 1024 bytes: the 200 lines (about 12 KB) cross the limit in one write.
    const out = execFileSync('bash', ['-c', 'ulimit -f 8 && exec node --import tsx "$0" "$1"', child, dir], {
      encoding: 'utf8',
    });
    const result = JSON.parse(out) as {
      threw?: string;
      added: number;
      written: number;
      pendingChars: number;
    };
    expect(result.added).toBeGreaterThan(8192);
    if (result.threw === undefined) {
      expect(result.written).toBe(result.added);
      return;
    }
    // Cut back to the last whole line (none here), and every text kept for the next try.
    expect(result.written).toBe(0);
    expect(result.pendingChars).toBe(result.added);
  });
});
