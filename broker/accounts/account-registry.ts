import type { AccountRecord } from './account-schema.js';

/** The accounts the running broker trusts, replaced whole on every reload of the file. */
export class AccountRegistry {
  #accounts = new Map<string, AccountRecord>();

  get(username: string): AccountRecord | undefined {
    return this.#accounts.get(username);
  }

  get size(): number {
    return this.#accounts.size;
  }

  /**
   * Installs a new set of accounts and returns the usernames whose live sessions must end: those
   * removed and those whose secret was rotated (a rotation usually answers a leaked secret).
   */
  replace(records: readonly AccountRecord[]): Set<string> {
    const next = new Map(records.map((record) => [record.username, record]));
    const revoked = new Set<string>();
    for (const [username, previous] of this.#accounts) {
      const current = next.get(username);
      if (current === undefined || current.secret.hash !== previous.secret.hash) revoked.add(username);
    }
    this.#accounts = next;
    return revoked;
  }
}
