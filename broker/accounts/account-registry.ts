import { rightsFilters } from '../rights/account-rights.js';
import type { AccountRecord } from './account-schema.js';

/** What a reload changed for accounts that were there before. */
export interface AccountChanges {
  /** Removed, or given a new secret (a rotation usually answers a leaked secret): their sessions end. */
  revoked: Set<string>;
  /** Same secret, other rights: their sessions stay, under the new rights. */
  rightsChanged: Set<string>;
}

const rightsOf = (record: AccountRecord): string => JSON.stringify(rightsFilters(record));

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
