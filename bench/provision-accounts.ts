import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { AccountSpec } from './provision-worker.js';

const run = promisify(execFile);
const WORKER = new URL('./provision-worker.js', import.meta.url);

const IssuedSchema = z.array(z.object({ username: z.string(), password: z.string() }));
export type Issued = z.infer<typeof IssuedSchema>[number];

/**
 * Adds the broker accounts in a process of its own (bench/provision-worker.ts), as an operator's
 * `fieldstation account add` does before the station starts. Hashing the secrets (scrypt, 16 MiB of
 * work memory each) in the measured process would leave that memory in its allocator's arenas and
 * in its peak RSS, which is not what the station costs while it runs.
 */
export async function provisionAccounts(
  credentialsFile: string,
  specs: readonly AccountSpec[],
): Promise<Issued[]> {
  const { stdout } = await run(process.execPath, [WORKER.pathname, credentialsFile, JSON.stringify(specs)]);
  return IssuedSchema.parse(JSON.parse(stdout));
}
