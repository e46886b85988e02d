import type { ConnectingClient } from '../session-owners.js';

/**
 * Which account holds each client id with a live connection, as far as other broker nodes need to
 * know: on one node the broker's own connections tell it (ClientSessions), in a cluster another
 * node's do not. Operations reject only with a BrokerError coded STORE_UNAVAILABLE.
 */
export interface LiveClientIds {
  /** Connects; a store that cannot be reached fails the broker's start. */
  start(): Promise<void>;
  /** Lets this node's claims go and releases the connection. Safe before start and twice. */
  stop(): Promise<void>;
  /**
   * Records the connection as the client id's live holder, atomically across nodes, unless another
   * account's live connection holds it: then resolves with that account and records nothing. A
   * connection of the same account takes the id over ([MQTT-3.1.4-2]).
   */
  claim(client: ConnectingClient, username: string): Promise<string | undefined>;
  /** Ends this connection's hold on its client id if it still has it (not taken over). Never rejects. */
  release(client: ConnectingClient): Promise<void>;
}

/** A single node: its own live connections are all there is, and ClientSessions knows them. */
export class NodeLiveClientIds implements LiveClientIds {
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async claim(): Promise<string | undefined> {
    return undefined;
  }

  async release(): Promise<void> {}
}
