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

/**
 * The account owning each client id whose session the broker keeps (one that connected with
 * clean session off). Kept in memory because the sessions are: Aedes' default persistence is in
 * memory and forgets them on restart. A durable persistence must store this map beside it, or a
 * restarted broker would let any account claim the sessions it still holds.
 */
export class SessionOwners {
  readonly #owners = new Map<string, string>();

  ownerOf(clientId: string): string | undefined {
    return this.#owners.get(clientId);
  }

  get size(): number {
    return this.#owners.size;
  }

  /** Makes the account the owner of an unowned client id; never takes one from another account. */
  claim(clientId: string, username: string): void {
    const owner = this.#owners.get(clientId);
    if (owner === undefined || owner === username) this.#owners.set(clientId, username);
  }

  /**
   * Ends the ownership once its owner connected with a clean session, which discards the session.
   * Nothing else does: a removed account's kept session still holds messages only it could read.
   */
  release(clientId: string, username: string): void {
    if (this.#owners.get(clientId) === username) this.#owners.delete(clientId);
  }
}
