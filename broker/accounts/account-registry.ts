import type { AccountRecord } from './account-schema.js';

/** What a reload changed for accounts that were there before. */
export interface AccountChanges {
  /** Removed, or given a new secret (a rotation usually answers a leaked secret): their sessions end. */
  revoked: Set<string>;
  /** Same secret, other rights: their sessions stay, under the new rights. */
  rightsChanged: Set<string>;
}

/**
 * An account's rights are derived from its spec alone (kind, ids, filters), so a spec that is the
 * same, field for field, grants the same rights; bookkeeping (when it was made or rotated) is not
 * part of it. Records come from one schema, so their keys are always in the same order.
 */
const rightsOf = ({ secret, createdAt, rotatedAt, ...spec }: AccountRecord): string => JSON.stringify(spec);

/** The accounts the running broker trusts, replaced whole on every reload of the file. */
export class AccountRegistry {
  #accounts = new Map<string, AccountRecord>();

  get(username: string): AccountRecord | undefined {
    return this.#accounts.get(username);
  }

  get size(): number {
    return this.#accounts.size;
  }

  /** Installs a new set of accounts and says which of the previous ones it revoked or re-scoped. */
  replace(records: readonly AccountRecord[]): AccountChanges {
    const next = new Map(records.map((record) => [record.username, record]));
    const changes: AccountChanges = { revoked: new Set(), rightsChanged: new Set() };
    for (const [username, previous] of this.#accounts) {
      const current = next.get(username);
      if (current === undefined || current.secret.hash !== previous.secret.hash)
        changes.revoked.add(username);
      else if (rightsOf(current) !== rightsOf(previous)) changes.rightsChanged.add(username);
    }
    this.#accounts = next;
    return changes;
  }
}
