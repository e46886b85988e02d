import type { AedesOptions } from 'aedes';
import type { HookContext } from './hook-context.js';

type AuthorizeSubscribeHandler = NonNullable<AedesOptions['authorizeSubscribe']>;

/**
 * A filter is granted only if every topic it can match is readable by the account and not every
 * one is denied; otherwise Aedes answers SUBACK 0x80 for that filter alone ([MQTT-3.8.4-5]) and
 * keeps the connection. Also runs when a persistent session's subscriptions are restored, so
 * revoked rights do not come back.
 */
export function createAuthorizeSubscribe(context: HookContext): AuthorizeSubscribeHandler {
  return (client, subscription, callback) => {
    const username = context.sessions.usernameOf(client);
    const rights = context.rights.forClient(client, username);
    if (rights?.maySubscribe(subscription.topic) === true) {
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
