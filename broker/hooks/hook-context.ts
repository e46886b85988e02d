import type { Logger } from 'pino';
import type { AccountRegistry } from '../accounts/account-registry.js';
import type { BrokerCounters } from '../broker-stats.js';
import type { ClientSessions } from '../client-sessions.js';
import type { RightsCache } from '../rights/rights-cache.js';
import type { SessionOwners } from '../session-owners.js';
import type { LiveClientIds } from '../sessions/live-client-ids.js';

/** What the Aedes hooks share with the server that installs them. */
export interface HookContext {
  accounts: AccountRegistry;
  sessions: ClientSessions;
  owners: SessionOwners;
  /** Other nodes' live connections, in a cluster. */
  liveIds: LiveClientIds;
  rights: RightsCache;
  counters: BrokerCounters;
  logger: Logger;
  maxPacketBytes: number;
}
