/**
 * `node provision-worker.js FILE SPECS_JSON`: adds each account of SPECS_JSON to the credentials
 * FILE, one after the other, and prints their credentials as a JSON array in the same order.
 * Started by provisionAccounts, so the hashing happens outside the process the bench measures.
 */
import { provisionAccount } from '../broker/index.js';

export type AccountSpec = Parameters<typeof provisionAccount>[1];

const [file, specs] = process.argv.slice(2);
if (file === undefined || specs === undefined) throw new Error('usage: provision-worker.js FILE SPECS_JSON');
const issued = [];
for (const spec of JSON.parse(specs) as AccountSpec[]) issued.push(await provisionAccount(file, spec));
process.stdout.write(`${JSON.stringify(issued)}\n`);
