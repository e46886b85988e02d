import { inTurn } from '../../durable-files/index.js';
import type { ApiKeyRecord, ApiKeySpec, IssuedKey, KeysFile } from './api-key.js';
import { addKey, dropKeysNamed, revokeKey } from './key-changes.js';
import type { ApiKeyStore } from './key-store.js';
import { keysFileVersion, readKeysFile, writeKeysFile } from './keys-file.js';

/**
 * The keys in `DATA_DIR/api/keys.json`, shared by the CLI and the running API. Every lookup checks
 * the file's version first (one stat) and reads it again when it changed, so a key revoked by the
 * CLI is refused from the next request on, with no watcher to miss a change or to stop.
 */
export class FileKeyStore implements ApiKeyStore {
  #cache: { version: string; keys: ReadonlyMap<string, ApiKeyRecord> } | undefined;

  constructor(readonly file: string) {}

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    return (await this.#current()).get(id);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return [...(await this.#current()).values()];
  }

  add(spec: ApiKeySpec, nowMs = Date.now()): Promise<IssuedKey> {
    return this.#change((content) => addKey(content, spec, nowMs));
  }

  /** A key that replaces every earlier key of its name: the demo's reader key, made at each start. */
  replaceNamed(spec: ApiKeySpec, nowMs = Date.now()): Promise<IssuedKey> {
    return this.#change((content) => {
      dropKeysNamed(content, spec.name);
      return addKey(content, spec, nowMs);
    });
  }

  revoke(id: string, nowMs = Date.now()): Promise<ApiKeyRecord> {
    return this.#change((content) => revokeKey(content, id, nowMs));
  }

  #change<T>(apply: (content: KeysFile) => T): Promise<T> {
    return inTurn(this.file, async () => {
      const content = await readKeysFile(this.file);
      const result = apply(content);
      await writeKeysFile(this.file, content);
      return result;
    });
  }

  async #current(): Promise<ReadonlyMap<string, ApiKeyRecord>> {
    // The version is read before the content: a change in between is read again at the next lookup.
    const version = await keysFileVersion(this.file);
    if (this.#cache?.version === version) return this.#cache.keys;
    const content = await readKeysFile(this.file);
    const keys = new Map(content.keys.map((record) => [record.id, record]));
    this.#cache = { version, keys };
    return keys;
  }
}
