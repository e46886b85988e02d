import type { OwnerClaim } from './owner-store.js';

/** Client id → owning account in memory, with the rules every store follows; no I/O. */
export class OwnerTable {
  readonly #owners: Map<string, string>;

  constructor(entries: Iterable<readonly [string, string]> = []) {
    this.#owners = new Map(entries);
  }

  /** Never takes a client id from another account. */
  claim(clientId: string, username: string): OwnerClaim {
    const owner = this.#owners.get(clientId);
    if (owner !== undefined) return { owner, created: false };
    this.#owners.set(clientId, username);
    return { owner: username, created: true };
  }

  /** Returns whether the account held the id and has let it go. */
  release(clientId: string, username: string): boolean {
    if (this.#owners.get(clientId) !== username) return false;
    return this.#owners.delete(clientId);
  }

  ownerOf(clientId: string): string | undefined {
    return this.#owners.get(clientId);
  }

  get size(): number {
    return this.#owners.size;
  }

  entries(): [string, string][] {
    return [...this.#owners];
  }
}
