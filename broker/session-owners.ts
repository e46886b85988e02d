import type { Client } from 'aedes';
import type { Logger } from 'pino';
import type { OwnerStore } from './sessions/owner-store.js';

/** Why a client id was refused: the account that holds it, live or through a session the broker keeps. */
export interface ClientIdConflict {
  owner: string;
  holds: 'live connection' | 'kept session';
}

/**
 * A client id belongs to the account connected with it now and to the account whose session the
 * broker keeps under it. Anyone else is refused, clean session or not: a persistent connect would
 * read the owner's queue, a clean one would discard it ([MQTT-3.1.2-6]) so nothing more is queued.
 */
export function clientIdConflict(
  username: string,
  liveOwner: string | undefined,
  sessionOwner: string | undefined,
): ClientIdConflict | undefined {
  if (liveOwner !== undefined && liveOwner !== username)
    return { owner: liveOwner, holds: 'live connection' };
  if (sessionOwner !== undefined && sessionOwner !== username)
    return { owner: sessionOwner, holds: 'kept session' };
  return undefined;
}

/** What SessionOwners reads of a connecting Aedes client. */
export type ConnectingClient = Pick<Client, 'id' | 'clean'>;

/**
 * The account owning each client id whose session the broker keeps (one that connected with
 * clean session off), in a store as durable and as shared as the sessions themselves: otherwise a
 * restarted broker, or another node of a cluster, would let any account claim the sessions it holds.
 */
export class SessionOwners {
  readonly #store: OwnerStore;
  readonly #logger: Logger;
  /** Connects whose own claim made their account the owner, so a refusal after it can undo it. */
  readonly #created = new WeakSet<ConnectingClient>();

  constructor(store: OwnerStore, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  start(): Promise<void> {
    return this.#store.start();
  }

  stop(): Promise<void> {
    return this.#store.stop();
  }

  /** Kept sessions' client ids with an owner (for Redis, the count at this node's last operation). */
  get size(): number {
    return this.#store.size;
  }

  ownerOf(clientId: string): Promise<string | undefined> {
    return this.#store.ownerOf(clientId);
  }

  /** The owner as this node last saw it, for logs that cannot wait for the store. */
  knownOwnerOf(clientId: string): string | undefined {
    return this.#store.knownOwnerOf(clientId);
  }

  /**
   * Makes the client's account the owner of its client id unless another account holds it, and
   * resolves with the owner once that is durable. Atomic in the store, so of two racing connects
   * by different accounts (on any node) only one can come back as the owner.
   */
  async claim(client: ConnectingClient, username: string): Promise<string> {
    const { owner, created } = await this.#store.claim(client.id, username);
    if (created) this.#created.add(client);
    return owner;
  }

  /** Undoes a claim this client's connect created, when the connect is refused after all. Never rejects. */
  async withdraw(client: ConnectingClient, username: string): Promise<void> {
    if (!this.#created.delete(client)) return;
    await this.#store.release(client.id, username).catch((error: unknown) => this.#failed(error, client));
  }

  /**
   * The client is connected. A clean connect by the owner ends the ownership now that Aedes has
   * discarded the session; nothing else does: a removed account's kept session still holds messages
   * only it could read. A persistent connect claims again: of two racing connects of one account
   * with one client id, the last to become ready decides whether a session is kept. Never rejects.
   */
  async connected(client: ConnectingClient, username: string): Promise<void> {
    this.#created.delete(client);
    const settled = client.clean
      ? this.#store.release(client.id, username)
      : this.#store.claim(client.id, username);
    await settled.catch((error: unknown) => this.#failed(error, client));
  }

  #failed(error: unknown, client: ConnectingClient): void {
    this.#logger.error({ err: error, clientId: client.id }, 'session owner not updated');
  }
}
