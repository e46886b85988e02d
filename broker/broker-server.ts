import type { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { Aedes, type AedesOptions, type Client } from 'aedes';
import type { Logger } from 'pino';
import { AccountRegistry } from './accounts/account-registry.js';
import type { CredentialsFile } from './accounts/account-schema.js';
import { readCredentialsFile } from './accounts/credentials-file.js';
import { CredentialsWatcher } from './accounts/credentials-watcher.js';
import { type BrokerCounters, type BrokerStats, createCounters } from './broker-stats.js';
import { ClientSessions } from './client-sessions.js';
import { type BrokerConfig, type BrokerConfigInput, BrokerConfigSchema } from './config.js';
import { createAuthenticate } from './hooks/authenticate.js';
import { createAuthorizePublish } from './hooks/authorize-publish.js';
import { createAuthorizeSubscribe } from './hooks/authorize-subscribe.js';
import type { HookContext } from './hooks/hook-context.js';
import { guardPacketSize } from './limits/packet-size-guard.js';
import { SessionOwners } from './session-owners.js';

export interface BrokerServerOptions {
  config: BrokerConfigInput;
  logger: Logger;
  /** Aedes persistence (aedes-persistence-*); in memory when absent. */
  persistence?: AedesOptions['persistence'];
}

export interface BrokerAddress {
  host: string;
  port: number;
}

/** The MQTT broker: Aedes on plain TCP with per-account credentials and topic rights. */
export class BrokerServer {
  readonly #config: BrokerConfig;
  readonly #logger: Logger;
  readonly #persistence: AedesOptions['persistence'];
  readonly #accounts = new AccountRegistry();
  readonly #sessions = new ClientSessions();
  readonly #owners = new SessionOwners();
  readonly #counters: BrokerCounters = createCounters();
  #aedes: Aedes | undefined;
  #server: Server | undefined;
  #watcher: CredentialsWatcher | undefined;

  constructor(options: BrokerServerOptions) {
    this.#config = Object.freeze(BrokerConfigSchema.parse(options.config));
    this.#logger = options.logger;
    this.#persistence = options.persistence;
  }

  /** Loads the credentials (a broken file fails the start), then listens. Port 0 picks a free one. */
  async start(): Promise<BrokerAddress> {
    const file = this.#config.credentialsFile;
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    this.#applyCredentials(await readCredentialsFile(file));
    try {
      this.#watchCredentials();
      this.#aedes = await this.#createAedes();
      const server = createServer((socket) => this.#accept(socket));
      this.#server = server;
      const address = await listen(server, this.#config.port, this.#config.host);
      this.#logger.info({ ...address, accounts: this.#accounts.size }, 'broker listening');
      return address;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Applies the credentials file now, for a caller that has just changed it and cannot wait for the watcher. */
  async reloadCredentials(): Promise<void> {
    this.#applyCredentials(await readCredentialsFile(this.#config.credentialsFile));
  }

  async stop(): Promise<void> {
    this.#watcher?.stop();
    this.#watcher = undefined;
    const server = this.#server;
    const aedes = this.#aedes;
    this.#server = undefined;
    this.#aedes = undefined;
    const serverClosed = server?.listening
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : undefined;
    if (aedes !== undefined) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await serverClosed;
  }

  stats(): BrokerStats {
    return { connections: this.#sessions.liveCount, keptSessions: this.#owners.size, ...this.#counters };
  }

  #hookContext(): HookContext {
    return {
      accounts: this.#accounts,
      sessions: this.#sessions,
      owners: this.#owners,
      counters: this.#counters,
      logger: this.#logger,
      maxPacketBytes: this.#config.maxPacketBytes,
    };
  }

  async #createAedes(): Promise<Aedes> {
    const context = this.#hookContext();
    const aedes = new Aedes({
      persistence: this.#persistence,
      authenticate: createAuthenticate(context),
      authorizePublish: createAuthorizePublish(context),
      authorizeSubscribe: createAuthorizeSubscribe(context),
    });
    aedes.on('clientReady', (client) => this.#onClientReady(client));
    aedes.on('clientDisconnect', (client) => this.#onClientDisconnect(client));
    aedes.on('clientError', (client, error) =>
      this.#logger.debug({ clientId: client.id, err: error }, 'client error'),
    );
    aedes.on('connectionError', (client, error) =>
      this.#logger.debug({ clientId: client.id, err: error }, 'connection error'),
    );
    // Aedes emits its own failures (e.g. while clearing stale wills); unhandled, they would crash.
    const emitter: EventEmitter = aedes;
    emitter.on('error', (error: unknown) => this.#logger.error({ err: error }, 'broker error'));
    await aedes.listen();
    return aedes;
  }

  #accept(socket: Socket): void {
    const aedes = this.#aedes;
    if (aedes === undefined) {
      socket.destroy();
      return;
    }
    const client = aedes.handle(socket);
    guardPacketSize(socket, this.#config.maxPacketBytes, (bytes) => {
      this.#sessions.markOversized(client);
      this.#counters.oversized += 1;
      this.#logger.warn(
        { account: this.#sessions.usernameOf(client), clientId: client.id, bytes },
        'oversized packet: disconnecting',
      );
      socket.destroy();
    });
  }

  #onClientReady(client: Client): void {
    const username = this.#sessions.usernameOf(client);
    // The account may have been removed while the client was authenticating.
    if (username === undefined || this.#accounts.get(username) === undefined) {
      client.close();
      return;
    }
    // Claimed again here, not only in authenticate: of two racing connects of one account with
    // one client id, the last to become ready decides whether a session is kept.
    if (client.clean) this.#owners.release(client.id, username);
    else this.#owners.claim(client.id, username);
    this.#sessions.ready(client);
    this.#logger.info({ clientId: client.id, username }, 'client connected');
  }

  #onClientDisconnect(client: Client): void {
    if (!this.#sessions.gone(client)) return;
    this.#logger.info(
      { clientId: client.id, username: this.#sessions.usernameOf(client) },
      'client disconnected',
    );
  }

  #watchCredentials(): void {
    this.#watcher = new CredentialsWatcher({
      file: this.#config.credentialsFile,
      onReload: (content) => {
        this.#applyCredentials(content);
        this.#logger.info({ accounts: this.#accounts.size }, 'credentials reloaded');
      },
      onError: (error) =>
        this.#logger.error({ err: error }, 'credentials file not reloaded; keeping the previous accounts'),
    });
    this.#watcher.start();
  }

  #applyCredentials(content: CredentialsFile): void {
    const revoked = this.#accounts.replace(content.accounts);
    if (revoked.size === 0) return;
    for (const client of this.#sessions.liveClientsOf(revoked)) {
      this.#logger.info(
        { clientId: client.id, username: this.#sessions.usernameOf(client) },
        'account removed or rotated: disconnecting',
      );
      client.close();
    }
  }
}

function listen(server: Server, port: number, host: string): Promise<BrokerAddress> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({ host: address.address, port: address.port });
    });
  });
}
