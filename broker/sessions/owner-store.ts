/** The owner of a client id after a claim, and whether this claim made it the owner. */
export interface OwnerClaim {
  owner: string;
  created: boolean;
}

/**
 * Where the account owning each kept session's client id is stored: as durable and as shared as
 * the sessions themselves (memory, a file beside the LevelDB store, or a Redis hash). Operations
 * reject only with a BrokerError coded STORE_UNAVAILABLE.
 */
export interface OwnerStore {
  /** Loads or connects; a store that cannot be read fails the broker's start. */
  start(): Promise<void>;
  /** Finishes pending writes and releases files and connections. Safe before start and twice. */
  stop(): Promise<void>;
  /**
   * Makes the account the owner of an unowned client id, atomically: of two racing claims by
   * different accounts, on one node or several, exactly one gets it. Resolves with the owner once
   * the ownership is durable, so a broker killed right after cannot lose it.
   */
  claim(clientId: string, username: string): Promise<OwnerClaim>;
  /** Ends the ownership if, and only if, the account holds it. */
  release(clientId: string, username: string): Promise<void>;
  /** The owner as the store has it now (for Redis: as every node sees it). */
  ownerOf(clientId: string): Promise<string | undefined>;
  /** The owner as this node last saw it, for logs that cannot wait; exact for memory and file. */
  knownOwnerOf(clientId: string): string | undefined;
  /** Client ids with an owner, as this node last saw them (Redis: HLEN at its last operation). */
  readonly size: number;
}
