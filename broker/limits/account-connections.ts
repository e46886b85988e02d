/** What this registry needs of a connection: Aedes' Client fits. */
export interface IdentifiedConnection {
  readonly id: string;
}

/**
 * The authenticated connections of each account, from the moment the credentials are accepted
 * until the socket closes. Counting from authentication, not from Aedes' 'clientReady', closes
 * the window in which two racing connects would both see the account under its limit.
 */
export class AccountConnections<C extends IdentifiedConnection> {
  readonly #byAccount = new Map<string, Set<C>>();
  readonly #byClientId = new Map<string, C>();

  add(connection: C, account: string): void {
    let connections = this.#byAccount.get(account);
    if (connections === undefined) {
      connections = new Set();
      this.#byAccount.set(account, connections);
    }
    connections.add(connection);
    this.#byClientId.set(connection.id, connection);
  }

  remove(connection: C, account: string): void {
    const connections = this.#byAccount.get(account);
    connections?.delete(connection);
    if (connections?.size === 0) this.#byAccount.delete(account);
    // After a takeover the id already belongs to the newer connection.
    if (this.#byClientId.get(connection.id) === connection) this.#byClientId.delete(connection.id);
  }

  /** Whether a connection holds this client id now (from its authentication on). */
  isConnected(clientId: string): boolean {
    return this.#byClientId.has(clientId);
  }

  /**
   * How many connections the account would hold once this client id connects: a connection of
   * the same account with the same id is taken over ([MQTT-3.1.4-2]), so it is not counted twice.
   */
  countWith(account: string, clientId: string): number {
    const connections = this.#byAccount.get(account);
    if (connections === undefined) return 1;
    const takenOver = [...connections].some((connection) => connection.id === clientId);
    return takenOver ? connections.size : connections.size + 1;
  }
}
