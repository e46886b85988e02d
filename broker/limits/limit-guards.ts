import type { Aedes, AedesOptions, Client } from 'aedes';
import type { Logger } from 'pino';
import type { BrokerCounters } from '../broker-stats.js';
import type { ClientSessions } from '../client-sessions.js';
import type { AuthenticateHandler } from '../refuse-connect.js';
import type { SessionOwners } from '../session-owners.js';
import { AccountConnections } from './account-connections.js';
import { limitConnections } from './connect-limits.js';
import { LimitReporter } from './limit-reporter.js';
import { AEDES_MAX_TOPIC_LEVELS, type BrokerLimits } from './limits-config.js';
import { limitPasswordGuesses } from './password-guess-limits.js';
import { limitPublishes } from './publish-limits.js';
import { limitQueuedMessages } from './queue-limit.js';
import { SessionQueueCounts } from './session-queue-counts.js';
import { watchSlowSubscribers } from './slow-subscriber.js';
import { limitSubscriptions } from './subscribe-limits.js';

type AuthorizePublishHandler = NonNullable<AedesOptions['authorizePublish']>;
type AuthorizeSubscribeHandler = NonNullable<AedesOptions['authorizeSubscribe']>;

export interface LimitGuardsOptions {
  limits: BrokerLimits;
  sessions: ClientSessions;
  owners: SessionOwners;
  counters: BrokerCounters;
  logger: Logger;
  /** Milliseconds of a monotonic clock; tests may pass their own. */
  now?: () => number;
}

/**
 * The broker's limits, wired around the Aedes hooks and persistence it is given: each hook is
 * wrapped so its own checks run first, and every hit is counted in BrokerStats.limitHits and
 * logged with the account, client id and topic.
 */
export class LimitGuards {
  readonly #options: LimitGuardsOptions;
  readonly #reporter: LimitReporter;
  readonly #connections = new AccountConnections<Client>();
  readonly #now: () => number;

  constructor(options: LimitGuardsOptions) {
    this.#options = options;
    this.#reporter = new LimitReporter(options.counters, options.logger);
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * Aedes' own drain timeout disconnects slow subscribers; its topic level check stays at its
   * ceiling, where it closes the connection, so the lower limit here can answer more gently.
   */
  aedesOptions(): Pick<AedesOptions, 'drainTimeout' | 'maxTopicLevels'> {
    return { drainTimeout: this.#options.limits.drainTimeoutMs, maxTopicLevels: AEDES_MAX_TOPIC_LEVELS };
  }

  /** The connection rate runs first, then the account lock-out, both before the inner hook's scrypt. */
  authenticate(inner: AuthenticateHandler): AuthenticateHandler {
    const { limits, owners, counters } = this.#options;
    const guarded = limitPasswordGuesses(inner, {
      policy: limits.accountLockout,
      reporter: this.#reporter,
      counters,
      now: this.#now,
    });
    return limitConnections(guarded, {
      limits,
      connections: this.#connections,
      owners,
      accountOf: this.#accountOf,
      reporter: this.#reporter,
      counters,
      now: this.#now,
    });
  }

  authorizePublish(inner: AuthorizePublishHandler): AuthorizePublishHandler {
    const { limits } = this.#options;
    return limitPublishes(inner, {
      limits,
      accountOf: this.#accountOf,
      reporter: this.#reporter,
      now: this.#now,
    });
  }

  authorizeSubscribe(inner: AuthorizeSubscribeHandler): AuthorizeSubscribeHandler {
    const { maxTopicLevels } = this.#options.limits;
    return limitSubscriptions(inner, {
      maxTopicLevels,
      accountOf: this.#accountOf,
      reporter: this.#reporter,
    });
  }

  persistence<P extends object>(persistence: P): P {
    const { limits, owners, logger } = this.#options;
    return limitQueuedMessages(persistence, {
      counts: new SessionQueueCounts(limits.maxQueuedPerSession),
      isConnected: (clientId) => this.#connections.isConnected(clientId),
      onDropped: (clientId, topic, first) =>
        this.#reporter.hit(
          'queuedMessages',
          { account: owners.knownOwnerOf(clientId), clientId, topic, maxQueued: limits.maxQueuedPerSession },
          'offline session at its queue limit: dropping its new messages',
          first,
        ),
      onRecountFailed: (clientId, error) =>
        logger.error({ err: error, clientId }, 'could not count the messages stored for a session'),
    });
  }

  watch(aedes: Aedes): void {
    watchSlowSubscribers(aedes, this.#reporter, this.#accountOf, this.#options.limits.drainTimeoutMs);
  }

  readonly #accountOf = (client: Client): string | undefined => this.#options.sessions.usernameOf(client);
}
