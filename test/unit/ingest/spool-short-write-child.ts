// Run by short-write.test.ts under `ulimit -f`: the kernel then takes only part of a write that
// crosses the limit (as with a disk that fills mid-write), and fs.writeSync returns the short count.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppendBatch } from '../../../ingest/spool/append-batch.js';
import { Spool, SpoolConfigSchema } from '../../../ingest/spool/spool.js';

const dir = process.argv[2] as string;
const spool = new Spool(dir, SpoolConfigSchema.parse({ fsync: 'always' }));
await spool.open();
const batch = new AppendBatch(spool, () => {});
const line = (n: number) => `m,station=s,gateway=g,sensor=t${n} value=${n} ${1_700_000_000_000 + n}000000\n`;
const texts = Array.from({ length: 200 }, (_, n) => line(n));
for (const text of texts) batch.add(text);
let threw: string | undefined;
try {
  // What the consumer calls before the turn's PUBACKs leave.
  batch.flush();
} catch (error) {
  threw = (error as Error).message;
}
const files = readdirSync(dir).filter((name) => !name.endsWith('.json'));
const written = files.map((name) => readFileSync(join(dir, name), 'utf8')).join('');
process.stdout.write(
  JSON.stringify({
    threw,
    added: texts.join('').length,
    written: written.length,
    pendingChars: batch.pendingChars,
  }),
);
