import type { Client } from 'aedes';
import type { TopicRights } from './topic-rights.js';

/** What Aedes keeps on a client at run time and its typings leave out (lib/client.js). */
type SubscribedClient = Client & { subscriptions: Record<string, unknown> };

/** The one call of the aedes-persistence interface used here, in its promise form. */
export interface SubscriptionStore {
  removeSubscriptions(client: Client, topics: string[]): Promise<void>;
}

/**
 * Ends the subscriptions of a connected client that its (new) rights no longer grant, as if the
 * client had sent UNSUBSCRIBE for them, and removes them from its kept session too, so they are not
 * restored on its next connect. Resolves with the filters withdrawn.
 */
export async function withdrawForbidden(
  client: Client,
  rights: TopicRights,
  store: SubscriptionStore,
): Promise<string[]> {
  const filters = Object.keys((client as SubscribedClient).subscriptions);
  const forbidden = filters.filter((filter) => !rights.maySubscribe(filter));
  if (forbidden.length === 0) return forbidden;
  // Without a packet id Aedes drops the live subscriptions and leaves the store alone.
  await new Promise<void>((resolve, reject) =>
    client.unsubscribe(
      { unsubscriptions: forbidden } as unknown as Parameters<Client['unsubscribe']>[0],
      (error) => (error ? reject(error) : resolve()),
    ),
  );
  if (!client.clean) await store.removeSubscriptions(client, forbidden);
  return forbidden;
}
