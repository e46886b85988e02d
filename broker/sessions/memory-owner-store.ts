import type { OwnerClaim, OwnerStore } from './owner-store.js';
import { OwnerTable } from './owner-table.js';

/** For memory persistence: the owners are forgotten on restart, as the sessions are. */
export class MemoryOwnerStore implements OwnerStore {
  readonly #table = new OwnerTable();

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async claim(clientId: string, username: string): Promise<OwnerClaim> {
    return this.#table.claim(clientId, username);
  }

  async release(clientId: string, username: string): Promise<void> {
    this.#table.release(clientId, username);
  }

  async ownerOf(clientId: string): Promise<string | undefined> {
    return this.#table.ownerOf(clientId);
  }

  knownOwnerOf(clientId: string): string | undefined {
    return this.#table.ownerOf(clientId);
  }

  get size(): number {
    return this.#table.size;
  }
}
