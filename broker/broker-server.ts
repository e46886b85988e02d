import type { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import type { Logger } from 'pino';
import { AccountRegistry } from './accounts/account-registry.js';
import type { CredentialsFile } from './accounts/account-schema.js';
import { readCredentialsFile } from './accounts/credentials-file.js';
import { CredentialsWatcher } from './accounts/credentials-watcher.js';
import { applyAccounts } from './apply-accounts.js';
import { type BrokerCounters, type BrokerStats, createCounters } from './broker-stats.js';
import { ClientSessions } from './client-sessions.js';
import { type BrokerConfig, type BrokerConfigInput, BrokerConfigSchema } from './config.js';
import { ClientIdCheck } from './conformance/client-id-check.js';
import { deliverOnce } from './conformance/deliver-once.js';
import { queueAtGrantedQos } from './conformance/queue-at-granted-qos.js';
import { AcknowledgeAfterStore } from './durability/acknowledge-after-store.js';
import { markRedelivery } from './durability/mark-redelivery.js';
import { storeInOrder } from './durability/store-in-order.js';
import { createAuthenticate } from './hooks/authenticate.js';
import { createAuthorizeForward } from './hooks/authorize-forward.js';
import { createAuthorizePublish } from './hooks/authorize-publish.js';
import { createAuthorizeSubscribe } from './hooks/authorize-subscribe.js';
import type { HookContext } from './hooks/hook-context.js';
import { LimitGuards } from './limits/limit-guards.js';
import { guardPacketSize } from './limits/packet-size-guard.js';
import { discardDropped } from './limits/publish-drop.js';
import { type BrokerAddresses, BrokerListeners } from './listeners/broker-listeners.js';
import { coalesceWrites } from './listeners/coalesce-writes.js';
import { BrokerOperations } from './operations/broker-operations.js';
import type { ListenerState } from './operations/health.js';
import type { HttpAddress } from './operations/operations-http.js';
import { countForwards, countPublishes } from './operations/traffic-counters.js';
import { skipPacketNumberTable } from './packet-number-table.js';
import type { BrokerStorage } from './persistence/broker-storage.js';
import { openStorage } from './persistence/open-storage.js';
import { queuePermitted } from './rights/queue-permitted.js';
import { RightsCache } from './rights/rights-cache.js';
import type { SubscriptionStore } from './rights/withdraw-subscriptions.js';
import { SessionOwners } from './session-owners.js';
import { createLiveClientIds } from './sessions/create-live-client-ids.js';
import { createOwnerStore } from './sessions/create-owner-store.js';
import type { LiveClientIds } from './sessions/live-client-ids.js';

export interface BrokerServerOptions {
  config: BrokerConfigInput;
  logger: Logger;
}

export interface BrokerAddress {
  host: string;
  port: number;
}

/** The MQTT broker: Aedes on plain TCP (and TLS, WebSocket when configured) with per-account credentials and topic rights. */
export class BrokerServer {
  readonly #config: BrokerConfig;
  readonly #logger: Logger;
  readonly #accounts = new AccountRegistry();
  readonly #sessions = new ClientSessions();
  readonly #owners: SessionOwners;
  readonly #liveIds: LiveClientIds;
  readonly #counters: BrokerCounters = createCounters();
  readonly #rights = new RightsCache(this.#accounts);
  #aedes: Aedes | undefined;
  #storage: BrokerStorage | undefined;
  /** The store as Aedes sees it, wrappers and all. */
  #subscriptions: SubscriptionStore | undefined;
  #listeners: BrokerListeners | undefined;
  #watcher: CredentialsWatcher | undefined;
  /** Rates, $SYS stats and /metrics, /healthz; a MetricSource for hosts that serve metrics themselves. */
  readonly operations: BrokerOperations;

  constructor(options: BrokerServerOptions) {
    skipPacketNumberTable();
    this.#config = Object.freeze(BrokerConfigSchema.parse(options.config));
    this.#logger = options.logger;
    const ownerStore = createOwnerStore(this.#config.persistence, options.logger);
    this.#owners = new SessionOwners(ownerStore, options.logger);
    this.#liveIds = createLiveClientIds(this.#config.persistence, options.logger);
    this.operations = new BrokerOperations({
      config: this.#config,
      stats: () => this.stats(),
      listeners: () => this.#listenerStates(),
      logger: options.logger,
    });
  }

  /** Loads the credentials (a broken file fails the start), then listens. Port 0 picks a free one. */
  async start(): Promise<BrokerAddress> {
    const file = this.#config.credentialsFile;
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    this.#applyCredentials(await readCredentialsFile(file));
    try {
      this.#watchCredentials();
      this.#aedes = await this.#createAedes();
      this.#listeners = this.#createListeners();
      const addresses = await this.#listeners.start();
      const address = addresses.tcp;
      this.#logger.info({ ...address, ...addresses, accounts: this.#accounts.size }, 'broker listening');
      await this.operations.start(this.#aedes);
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

  /** Where each enabled listener listens; undefined until started. */
  addresses(): BrokerAddresses | undefined {
    return this.#listeners?.addresses();
  }

  /** Where /metrics and /healthz are served, when the config asks for them. */
  get httpAddress(): HttpAddress | undefined {
    return this.operations.httpAddress;
  }

  async stop(): Promise<void> {
    await this.operations.stop();
    this.#watcher?.stop();
    this.#watcher = undefined;
    const listeners = this.#listeners;
    const aedes = this.#aedes;
    this.#listeners = undefined;
    this.#aedes = undefined;
    // Listeners stop accepting at once but finish closing only when Aedes has ended their connections.
    const listenersClosed = listeners?.stop();
    if (aedes !== undefined) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await listenersClosed;
    // Aedes closes its emitter but leaves the persistence open: the store is released here.
    const storage = this.#storage;
    this.#storage = undefined;
    await storage?.close();
    await this.#owners.stop();
    await this.#liveIds.stop();
  }

  stats(): BrokerStats {
    const counters = { ...this.#counters, limitHits: { ...this.#counters.limitHits } };
    return { connections: this.#sessions.liveCount, keptSessions: this.#owners.size, ...counters };
  }

  #listenerStates(): ListenerState[] {
    return this.#listeners?.states() ?? [];
  }

  #hookContext(): HookContext {
    return {
      accounts: this.#accounts,
      sessions: this.#sessions,
      owners: this.#owners,
      liveIds: this.#liveIds,
      rights: this.#rights,
      counters: this.#counters,
      logger: this.#logger,
      maxPacketBytes: this.#config.maxPacketBytes,
    };
  }

  #limitGuards(): LimitGuards {
    return new LimitGuards({
      limits: this.#config.limits,
      sessions: this.#sessions,
      owners: this.#owners,
      counters: this.#counters,
      logger: this.#logger,
    });
  }

  async #createAedes(): Promise<Aedes> {
    const context = this.#hookContext();
    const storage = await openStorage(this.#config.persistence, this.#logger);
    this.#storage = storage;
    // After the store: a second broker on the same disk dir fails on LevelDB's lock before it reads the owners.
    await this.#owners.start();
    await this.#liveIds.start();
    const guards = this.#limitGuards();
    const clientIds = new ClientIdCheck(this.#counters, this.#logger);
    const mayQueue = (clientId: string, topic: string) => this.#mayQueue(clientId, topic);
    const acknowledgements = new AcknowledgeAfterStore((): Aedes => aedes);
    const persistence = acknowledgements.persistence(
      storeInOrder(
        queuePermitted(queueAtGrantedQos(guards.persistence(markRedelivery(storage.persistence))), mayQueue),
      ),
    );
    this.#subscriptions = persistence as SubscriptionStore;
    const aedes: Aedes = new Aedes({
      ...guards.aedesOptions(),
      persistence,
      mq: storage.emitter,
      preConnect: clientIds.preConnect,
      authenticate: guards.authenticate(clientIds.authenticate(createAuthenticate(context))),
      authorizePublish: acknowledgements.authorizePublish(
        guards.authorizePublish(createAuthorizePublish(context)),
      ),
      authorizeSubscribe: guards.authorizeSubscribe(createAuthorizeSubscribe(context)),
      authorizeForward: countForwards(this.#counters, createAuthorizeForward(context)),
    });
    discardDropped(aedes, (packet, client, done) => acknowledgements.finishDropped(packet, client, done));
    aedes.on('publish', countPublishes(this.#counters));
    guards.watch(aedes);
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

  #createListeners(): BrokerListeners {
    return new BrokerListeners({
      config: this.#config,
      accept: (stream, request) => this.#accept(stream, request),
      onOversizedMessage: (request) => {
        this.#counters.oversized += 1;
        this.#logger.warn(
          { remoteAddress: request.socket.remoteAddress },
          'oversized websocket message: disconnected',
        );
      },
      logger: this.#logger,
    });
  }

  /** Every transport's connections come through here, so the packet-size guard sees them all. */
  #accept(socket: Duplex, request?: IncomingMessage): void {
    const aedes = this.#aedes;
    if (aedes === undefined) {
      socket.destroy();
      return;
    }
    // A WebSocket stream writes message by message anyway; TCP and TLS sockets gain from it.
    if (socket instanceof Socket) coalesceWrites(socket);
    const client = aedes.handle(socket, request);
    deliverOnce(client);
    // However the connection ends (refused, dropped, taken over), its live claim ends with it.
    socket.once('close', () => void this.#liveIds.release(client));
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
    void this.#owners.connected(client, username);
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

  /** A kept session queues a message only if its owner may receive it; unknown here, it may. */
  #mayQueue(clientId: string, topic: string): boolean {
    const rights = this.#rights.forSession(clientId, this.#owners.knownOwnerOf(clientId));
    return rights?.mayReceive(topic) ?? true;
  }

  #applyCredentials(content: CredentialsFile): void {
    const context = {
      accounts: this.#accounts,
      sessions: this.#sessions,
      rights: this.#rights,
      logger: this.#logger,
    };
    applyAccounts(context, content, this.#subscriptions);
  }
}
