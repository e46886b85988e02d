import type { Client } from 'aedes';
import type { AccountRegistry } from '../accounts/account-registry.js';
import type { AccountRecord } from '../accounts/account-schema.js';
import { rightsFor } from './account-rights.js';
import type { TopicRights } from './topic-rights.js';

interface Compiled {
  /** The record the rights were made from: a reload installs new records, so a stale entry shows. */
  record: AccountRecord;
  rights: TopicRights;
}

/** Kept sessions looked up by client id; beyond this many the cache starts afresh. */
const MAX_SESSIONS = 10_000;

/**
 * The rights of each connection and each kept session, made once from the account and remade when
 * a reload replaces the account's record: the hooks ask on every publish and every delivery.
 */
export class RightsCache {
  readonly #accounts: AccountRegistry;
  readonly #byClient = new WeakMap<Client, Compiled>();
  readonly #bySession = new Map<string, Compiled>();

  constructor(accounts: AccountRegistry) {
    this.#accounts = accounts;
  }

  /** A connected client's rights as `username`; undefined when it has no account (any more). */
  forClient(client: Client, username: string | undefined): TopicRights | undefined {
    const record = username === undefined ? undefined : this.#accounts.get(username);
    if (record === undefined) return undefined;
    const cached = this.#byClient.get(client);
    if (cached?.record === record) return cached.rights;
    const rights = rightsFor(record, client.id);
    this.#byClient.set(client, { record, rights });
    return rights;
  }

  /** The rights of the session a client id names, owned by `owner`; undefined when nobody owns it. */
  forSession(clientId: string, owner: string | undefined): TopicRights | undefined {
    const record = owner === undefined ? undefined : this.#accounts.get(owner);
    if (record === undefined) return undefined;
    const cached = this.#bySession.get(clientId);
    if (cached?.record === record) return cached.rights;
    const rights = rightsFor(record, clientId);
    if (this.#bySession.size >= MAX_SESSIONS) this.#bySession.clear();
    this.#bySession.set(clientId, { record, rights });
    return rights;
  }
}
