import type { AedesOptions, Client } from 'aedes';
import type { LimitReporter } from './limit-reporter.js';
import { tooDeep } from './topic-depth.js';

type AuthorizeSubscribeHandler = NonNullable<AedesOptions['authorizeSubscribe']>;

export interface SubscribeLimitOptions {
  maxTopicLevels: number;
  accountOf: (client: Client) => string | undefined;
  reporter: LimitReporter;
}

/**
 * Wraps the authorizeSubscribe hook: a filter deeper than the limit gets SUBACK 0x80 for that
 * filter ([MQTT-3.9.3]) and the connection stays. Aedes' own level check (at its ceiling of 100)
 * would close the connection instead, so this one runs first with the lower limit.
 */
export function limitSubscriptions(
  inner: AuthorizeSubscribeHandler,
  options: SubscribeLimitOptions,
): AuthorizeSubscribeHandler {
  return (client, subscription, callback) => {
    if (!tooDeep(subscription.topic, options.maxTopicLevels)) return inner(client, subscription, callback);
    options.reporter.hit(
      'topicDepth',
      {
        account: options.accountOf(client),
        clientId: client.id,
        topic: subscription.topic,
        maxTopicLevels: options.maxTopicLevels,
      },
      'subscription refused: filter too deep',
    );
    callback(null, null);
  };
}
