import type { Client } from 'aedes';
import type { Logger } from 'pino';
import type { AccountRegistry } from './accounts/account-registry.js';
import type { CredentialsFile } from './accounts/account-schema.js';
import type { ClientSessions } from './client-sessions.js';
import type { RightsCache } from './rights/rights-cache.js';
import { type SubscriptionStore, withdrawForbidden } from './rights/withdraw-subscriptions.js';

export interface AccountReloadContext {
  accounts: AccountRegistry;
  sessions: ClientSessions;
  rights: RightsCache;
  logger: Logger;
}

/** Publishes are checked against the new rights from the next one on; subscriptions they refuse end here. */
function applyRights(context: AccountReloadContext, client: Client, store: SubscriptionStore): void {
  const { sessions, rights, logger } = context;
  const username = sessions.usernameOf(client);
  const current = rights.forClient(client, username);
  if (current === undefined) return;
  withdrawForbidden(client, current, store).then(
    (withdrawn) => {
      if (withdrawn.length === 0) return;
      logger.info({ clientId: client.id, username, withdrawn }, 'rights changed: subscriptions withdrawn');
    },
    (error: unknown) => {
      // Left in place, a subscription the rights refuse would go on matching; the client starts afresh.
      logger.error(
        { err: error, clientId: client.id, username },
        'subscriptions not withdrawn: disconnecting',
      );
      client.close();
    },
  );
}

/**
 * Installs the accounts of the credentials file in the running broker: the connections of removed
 * and rotated accounts end, and those of accounts whose rights changed stay under the new rights.
 * `store` is the persistence Aedes uses, absent before Aedes runs (when nobody is connected).
 */
export function applyAccounts(
  context: AccountReloadContext,
  content: CredentialsFile,
  store: SubscriptionStore | undefined,
): void {
  const { accounts, sessions, logger } = context;
  const { revoked, rightsChanged } = accounts.replace(content.accounts);
  for (const client of sessions.liveClientsOf(revoked)) {
    logger.info(
      { clientId: client.id, username: sessions.usernameOf(client) },
      'account removed or rotated: disconnecting',
    );
    client.close();
  }
  if (store === undefined) return;
  for (const client of sessions.liveClientsOf(rightsChanged)) applyRights(context, client, store);
}
