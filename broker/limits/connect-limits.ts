import type { Client } from 'aedes';
import type { BrokerCounters } from '../broker-stats.js';
import { sourceAddress } from '../listeners/source-address.js';
import { type AuthenticateHandler, CONNACK, refuseConnect } from '../refuse-connect.js';
import type { SessionOwners } from '../session-owners.js';
import type { AccountConnections } from './account-connections.js';
import type { LimitReporter } from './limit-reporter.js';
import type { BrokerLimits } from './limits-config.js';
import { KeyedTokenBuckets } from './token-bucket.js';

export interface ConnectLimitOptions {
  limits: Pick<BrokerLimits, 'connectionRate' | 'maxConnectionsPerAccount'>;
  connections: AccountConnections<Client>;
  owners: SessionOwners;
  /** The account the inner hook authenticated the client as (a certificate may name it, not the username). */
  accountOf: (client: Client) => string | undefined;
  reporter: LimitReporter;
  counters: BrokerCounters;
  now: () => number;
}

/**
 * Wraps the authenticate hook with the connection limits. Both refusals answer CONNACK 3 ("server
 * unavailable"): MQTT 3.1.1 has no code for "over quota" or "too fast" (MQTT 5 has 0x97 and 0x9F),
 * and 3 is the one that tells a client to try again later rather than to fix its credentials.
 * The rate is checked first, before the secret is verified, so a flood of CONNECTs costs no scrypt.
 */
export function limitConnections(
  inner: AuthenticateHandler,
  options: ConnectLimitOptions,
): AuthenticateHandler {
  const { limits, connections, owners, reporter, counters } = options;
  const rates = new KeyedTokenBuckets<string>(limits.connectionRate);
  return (client, username, password, done) => {
    const address = sourceAddress(client);
    if (!rates.take(address, options.now())) {
      counters.authFailures += 1;
      reporter.hit(
        'connectionRate',
        { account: username, clientId: client.id, address },
        'connection refused: rate',
      );
      const message = `more than ${limits.connectionRate.perSecond} connections per second from ${address}`;
      refuseConnect(done, 'CONNECTION_RATE_EXCEEDED', CONNACK.serverUnavailable, message, {
        clientId: client.id,
        username,
      });
      return;
    }
    inner(client, username, password, (error, success) => {
      const account = options.accountOf(client);
      if (error !== null || success !== true || account === undefined) return done(error, success);
      const count = connections.countWith(account, client.id);
      if (count > limits.maxConnectionsPerAccount) {
        // The inner hook may have claimed the id for a persistent session that will not exist after all.
        void owners.withdraw(client, account);
        counters.authFailures += 1;
        reporter.hit(
          'connectionsPerAccount',
          { account, clientId: client.id, address },
          'connection refused: account at its limit',
        );
        const message = `account ${account} already has ${count - 1} connections`;
        return refuseConnect(done, 'ACCOUNT_CONNECTIONS_EXCEEDED', CONNACK.serverUnavailable, message, {
          clientId: client.id,
          username: account,
        });
      }
      track(connections, client, account);
      done(null, true);
    });
  };
}

function track(connections: AccountConnections<Client>, client: Client, account: string): void {
  connections.add(client, account);
  client.conn.once('close', () => connections.remove(client, account));
  // Closed while the secret was being verified: 'close' has been emitted already.
  if (client.conn.destroyed) connections.remove(client, account);
}
