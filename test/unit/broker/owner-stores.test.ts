import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { FileOwnerStore } from '../../../broker/sessions/file-owner-store.js';
import { MemoryOwnerStore } from '../../../broker/sessions/memory-owner-store.js';
import type { OwnerStore } from '../../../broker/sessions/owner-store.js';
import { describeOwnerStore } from './owner-store-contract.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-owners-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function started(store: OwnerStore): Promise<OwnerStore> {
  await store.start();
  return store;
}

const MEMORY = { durable: false, shared: false };
const FILE = { durable: true, shared: false };

describeOwnerStore('memory', () => started(new MemoryOwnerStore()), MEMORY);

const silent = pino({ level: 'silent' });
describeOwnerStore('file', () => started(new FileOwnerStore(join(dir, 'owners.json'), silent)), FILE);
