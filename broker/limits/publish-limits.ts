import type { AedesOptions, Client, PublishPacket } from 'aedes';
import { BrokerError } from '../errors.js';
import type { LimitReporter } from './limit-reporter.js';
import type { BrokerLimits } from './limits-config.js';
import { dropPublish } from './publish-drop.js';
import { TokenBucket } from './token-bucket.js';
import { tooDeep } from './topic-depth.js';

type AuthorizePublishHandler = NonNullable<AedesOptions['authorizePublish']>;

export interface PublishLimitOptions {
  limits: Pick<BrokerLimits, 'maxTopicLevels' | 'messageRate'>;
  accountOf: (client: Client) => string | undefined;
  reporter: LimitReporter;
  now: () => number;
}

/**
 * Wraps the authorizePublish hook with the publish limits, checked before the rights.
 *
 * Over the message rate the publish is refused, which closes the connection without a PUBACK.
 * Dropping it instead would acknowledge a QoS 1 reading the broker never delivered, and the
 * gateway would delete it from its outbox: a silent loss. Refused, it stays in the outbox and is
 * sent again after the reconnect, at the pace the connection rate allows.
 *
 * A topic deeper than the limit is dropped and the connection kept: no account may publish there
 * anyway, and the publisher is not refused over a topic it cannot get right by retrying.
 */
export function limitPublishes(
  inner: AuthorizePublishHandler,
  options: PublishLimitOptions,
): AuthorizePublishHandler {
  const { limits, reporter } = options;
  const buckets = new WeakMap<Client, TokenBucket>();
  const overRate = (client: Client): boolean => {
    const now = options.now();
    let bucket = buckets.get(client);
    if (bucket === undefined) {
      bucket = new TokenBucket(limits.messageRate, now);
      buckets.set(client, bucket);
    }
    return !bucket.take(now);
  };
  // Called only for a hit: the hook runs for every PUBLISH and allocates nothing for one that passes.
  const who = (client: Client, topic: string) => ({
    account: options.accountOf(client),
    clientId: client.id,
    topic,
  });
  return (client, packet, callback) => {
    // A will of a departed client is the inner hook's to judge; it has no rate to keep.
    if (client === null) return inner(client, packet, callback);
    if (overRate(client)) {
      reporter.hit('messageRate', who(client, packet.topic), 'publish refused: message rate; disconnecting');
      const message = `more than ${limits.messageRate.perSecond} publishes per second`;
      return callback(
        new BrokerError('MESSAGE_RATE_EXCEEDED', message, { clientId: client.id, topic: packet.topic }),
      );
    }
    if (tooDeep(packet.topic, limits.maxTopicLevels)) {
      reporter.hit(
        'topicDepth',
        { ...who(client, packet.topic), maxTopicLevels: limits.maxTopicLevels },
        'publish dropped: topic too deep',
      );
      dropPublish(packet as PublishPacket);
      return callback(null);
    }
    inner(client, packet, callback);
  };
}
