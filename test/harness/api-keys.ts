import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import type { ApiApp } from '../../api/app.js';
import type {
  ApiKeyRecord,
  ApiKeySpec,
  ApiKeySpecInput,
  IssuedKey,
  KeysFile,
} from '../../api/keys/api-key.js';
import { ApiKeySpecSchema } from '../../api/keys/api-key.js';
import { FileKeyStore } from '../../api/keys/file-key-store.js';
import { addKey, revokeKey } from '../../api/keys/key-changes.js';
import type { ApiKeyStore } from '../../api/keys/key-store.js';

/** The key store of inject() tests: the production key changes over a file that lives in memory. */
export class MemoryKeyStore implements ApiKeyStore {
  readonly content: KeysFile = { version: 1, keys: [] };

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    return this.content.keys.find((key) => key.id === id);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return [...this.content.keys];
  }

  async add(spec: ApiKeySpec): Promise<IssuedKey> {
    return addKey(this.content, spec, Date.now());
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    return revokeKey(this.content, id, Date.now());
  }

  /** A key made from a spec as a test writes it (stations and expiry default to none). */
  issue(spec: ApiKeySpecInput, nowMs = Date.now()): IssuedKey {
    return addKey(this.content, ApiKeySpecSchema.parse(spec), nowMs);
  }
}

/** The header that carries a key. */
export function bearer(key: string | IssuedKey): { authorization: string } {
  return { authorization: `Bearer ${typeof key === 'string' ? key : key.key}` };
}

/** A store holding one admin key, which the tests that are not about keys send with every request. */
export function testKeys(): { store: MemoryKeyStore; admin: IssuedKey } {
  const store = new MemoryKeyStore();
  return { store, admin: store.issue({ name: 'test-admin', role: 'admin' }) };
}

/** The keys of this test file's apps. */
export const TEST_KEYS = testKeys();

/** An app's inject() as a client that sends a key with each request (the test admin key by default). */
export function withKey(app: ApiApp, key: string | IssuedKey = TEST_KEYS.admin) {
  return {
    inject(options: string | InjectOptions) {
      const given = typeof options === 'string' ? { url: options } : options;
      return app.inject({ ...given, headers: { ...bearer(key), ...given.headers } });
    },
  };
}

/** Shorthand for the tests that are not about keys: the admin may call every route. */
export const asAdmin = (app: ApiApp) => withKey(app);

/** Where `fieldstation up` with this data dir keeps its API keys. */
export function keysFileIn(dataDir: string): string {
  return join(dataDir, 'api', 'keys.json');
}

/** A key in the keys file of a data dir, as `fieldstation apikey add` makes it (admin by default). */
export function addKeyIn(dataDir: string, spec: Partial<ApiKeySpecInput> = {}): Promise<IssuedKey> {
  const full = ApiKeySpecSchema.parse({ name: 'test-admin', role: 'admin', ...spec });
  return new FileKeyStore(keysFileIn(dataDir)).add(full);
}
