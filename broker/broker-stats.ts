/** The limits of broker/limits/, each counted on its own when it refuses or drops something. */
export const LIMIT_KINDS = [
  'topicDepth',
  'connectionsPerAccount',
  'connectionRate',
  'accountLockout',
  'messageRate',
  'queuedMessages',
  'slowSubscriber',
] as const;

export type LimitKind = (typeof LIMIT_KINDS)[number];

/**
 * Counters exposed by BrokerServer.stats(). connections is the number connected right now and
 * keptSessions the number of client ids whose session the broker keeps for an owner;
 * authFailures counts every refused connection, clientIdRefused those refused for another
 * account's client id; retainCleared counts publishes whose retain flag the contract forbids.
 */
export interface BrokerStats {
  connections: number;
  keptSessions: number;
  authFailures: number;
  clientIdRefused: number;
  publishDenied: number;
  subscribeDenied: number;
  /** Copies not delivered because the subscriber's rights deny their topic (deny rules, reloads). */
  forwardWithheld: number;
  oversized: number;
  retainCleared: number;
  /** PUBLISH packets accepted from clients (Aedes' 'publish' event with a client). */
  messagesIn: number;
  /** Copies forwarded to subscribers, one per subscriber and message (Aedes' authorizeForward). */
  messagesOut: number;
  /** Times each limit refused a connection, dropped a message or disconnected a client. */
  limitHits: Record<LimitKind, number>;
}

export type BrokerCounters = Omit<BrokerStats, 'connections' | 'keptSessions'>;

export function createCounters(): BrokerCounters {
  return {
    authFailures: 0,
    clientIdRefused: 0,
    publishDenied: 0,
    subscribeDenied: 0,
    forwardWithheld: 0,
    oversized: 0,
    retainCleared: 0,
    messagesIn: 0,
    messagesOut: 0,
    limitHits: Object.fromEntries(LIMIT_KINDS.map((kind) => [kind, 0])) as Record<LimitKind, number>,
  };
}
