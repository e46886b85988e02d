/** Counters exposed by BrokerServer.stats(); connections is the number connected right now. */
export interface BrokerStats {
  connections: number;
  authFailures: number;
  publishDenied: number;
  subscribeDenied: number;
  oversized: number;
}

export type BrokerCounters = Omit<BrokerStats, 'connections'>;

export function createCounters(): BrokerCounters {
  return { authFailures: 0, publishDenied: 0, subscribeDenied: 0, oversized: 0 };
}
