import {
  ALERTS_SEGMENT,
  GATEWAY_KINDS,
  gatewayPrefix,
  gatewayTopic,
  TOPIC_ROOT,
} from '../../protocol/index.js';
import type { AccountSpec, SubscriberScope } from '../accounts/account-schema.js';
import { filterCoveredByAny } from './topic-filter.js';

const EVERYTHING = `${TOPIC_ROOT}/#`;
const ALL_ALERTS = `${TOPIC_ROOT}/${ALERTS_SEGMENT}/#`;
/** The broker's own topics (Aedes' heartbeat, client and subscription events, our stats): operators only. */
const BROKER_SYSTEM = '$SYS/#';

function scopeFilters(scope: SubscriberScope): string[] {
  if (scope === 'operator') return [BROKER_SYSTEM];
  if (scope === 'all') return [EVERYTHING];
  if (scope === 'alerts') return [ALL_ALERTS];
  return [`${TOPIC_ROOT}/${scope}/#`, `${TOPIC_ROOT}/${ALERTS_SEGMENT}/${scope}/#`];
}

/** The topics (as filters) an account may publish to. */
export function publishFilters(account: AccountSpec): string[] {
  switch (account.kind) {
    case 'gateway':
      return GATEWAY_KINDS.map((kind) => gatewayTopic(account, kind));
    case 'service':
      return [ALL_ALERTS];
    case 'subscriber':
      return [];
  }
}

/** The filters an account may subscribe to, or to anything narrower. */
export function subscribeFilters(account: AccountSpec): string[] {
  switch (account.kind) {
    case 'gateway':
      return [`${gatewayPrefix(account)}#`];
    case 'service':
      return [EVERYTHING];
    case 'subscriber':
      return account.scopes.flatMap(scopeFilters);
  }
}

export function canPublish(account: AccountSpec, topic: string): boolean {
  // Topics starting with '$' belong to the broker ([MQTT-4.7.2-1]); no client speaks for it.
  if (topic.startsWith('$')) return false;
  return filterCoveredByAny(topic, publishFilters(account));
}

export function canSubscribe(account: AccountSpec, filter: string): boolean {
  return filterCoveredByAny(filter, subscribeFilters(account));
}
