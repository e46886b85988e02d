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
  oversized: number;
  retainCleared: number;
}

export type BrokerCounters = Omit<BrokerStats, 'connections' | 'keptSessions'>;

export function createCounters(): BrokerCounters {
  return {
    authFailures: 0,
    clientIdRefused: 0,
    publishDenied: 0,
    subscribeDenied: 0,
    oversized: 0,
    retainCleared: 0,
  };
}
