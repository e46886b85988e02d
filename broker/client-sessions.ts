import type { Client } from 'aedes';

/** Which account each client authenticated as, and which clients are connected right now. */
export class ClientSessions {
  readonly #usernames = new WeakMap<Client, string>();
  readonly #oversized = new WeakSet<Client>();
  readonly #live = new Set<Client>();

  authenticated(client: Client, username: string): void {
    this.#usernames.set(client, username);
  }

  usernameOf(client: Client): string | undefined {
    return this.#usernames.get(client);
  }

  ready(client: Client): void {
    this.#live.add(client);
  }

  /** Returns whether the client had been connected, so a refused one is not logged as leaving. */
  gone(client: Client): boolean {
    return this.#live.delete(client);
  }

  get liveCount(): number {
    return this.#live.size;
  }

  liveClientsOf(usernames: ReadonlySet<string>): Client[] {
    return [...this.#live].filter((client) => usernames.has(this.#usernames.get(client) ?? ''));
  }

  /** The account holding a client id now; another account must not take its session over. */
  liveOwnerOf(clientId: string): string | undefined {
    for (const client of this.#live) {
      if (client.id === clientId) return this.#usernames.get(client);
    }
    return undefined;
  }

  markOversized(client: Client): void {
    this.#oversized.add(client);
  }

  isOversized(client: Client): boolean {
    return this.#oversized.has(client);
  }
}
