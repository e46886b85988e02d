import type { AedesOptions } from 'aedes';
import type { HookContext } from './hook-context.js';

type AuthorizeForwardHandler = NonNullable<AedesOptions['authorizeForward']>;

/**
 * Aedes asks before it writes each copy of a message to a subscriber, live, retained or from a
 * returning session's queue. A copy goes out only if the subscriber's rights let it receive that
 * topic: a subscription granted beside a deny (`#` with `test/nosubscribe` denied) matches denied
 * topics too, and a session kept from before a reload may hold subscriptions the rights now refuse.
 */
export function createAuthorizeForward(context: HookContext): AuthorizeForwardHandler {
  return (client, packet) => {
    const rights = context.rights.forClient(client, context.sessions.usernameOf(client));
    if (rights?.mayReceive(packet.topic) === true) return packet;
    context.counters.forwardWithheld += 1;
    return undefined;
  };
}
