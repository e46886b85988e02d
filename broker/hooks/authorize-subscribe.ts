import type { AedesOptions } from 'aedes';
import { canSubscribe } from '../rights/account-rights.js';
import type { HookContext } from './hook-context.js';

type AuthorizeSubscribeHandler = NonNullable<AedesOptions['authorizeSubscribe']>;

/**
 * A filter is granted only if every topic it can match is readable by the account; otherwise
 * Aedes answers SUBACK 0x80 for that filter ([MQTT-3.9.3]) and keeps the connection. Also runs
 * when a persistent session's subscriptions are restored, so revoked rights do not come back.
 */
export function createAuthorizeSubscribe(context: HookContext): AuthorizeSubscribeHandler {
  return (client, subscription, callback) => {
    const username = context.sessions.usernameOf(client);
    const account = username === undefined ? undefined : context.accounts.get(username);
    if (account !== undefined && canSubscribe(account, subscription.topic)) {
      callback(null, subscription);
      return;
    }
    context.counters.subscribeDenied += 1;
    context.logger.warn(
      { account: username, clientId: client.id, topic: subscription.topic },
      'subscription denied',
    );
    callback(null, null);
  };
}
