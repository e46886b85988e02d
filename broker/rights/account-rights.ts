import {
  ALERTS_SEGMENT,
  GATEWAY_KINDS,
  gatewayPrefix,
  MESSAGE_KINDS,
  TOPIC_ROOT,
} from '../../protocol/index.js';
import { type AccountSpec, type SubscriberScope, usernameFor } from '../accounts/account-schema.js';
import { type RightsFilters, TopicRights } from './topic-rights.js';

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

/** The topics (as filters) an account may publish to; a client account's may hold %u and %c. */
export function publishFilters(account: AccountSpec): string[] {
  switch (account.kind) {
    case 'gateway':
      return GATEWAY_KINDS.map((kind) => MESSAGE_KINDS[kind].topic(account));
    case 'service':
      return [ALL_ALERTS];
    case 'subscriber':
      return [];
    case 'client':
      return [...account.publish];
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
    case 'client':
      return [...account.subscribe];
  }
}

/** Every kind's rights as filters: the fixed kinds' from the code, a client account's as written. */
export function rightsFilters(account: AccountSpec): RightsFilters {
  const denied = account.kind === 'client' ? account : { denyPublish: [], denySubscribe: [] };
  return {
    publish: publishFilters(account),
    subscribe: subscribeFilters(account),
    denyPublish: denied.denyPublish,
    denySubscribe: denied.denySubscribe,
  };
}

/** Whether a client account's rights name the client id, which then must be fit for a filter. */
export function usesClientId(account: AccountSpec): boolean {
  const { publish, subscribe, denyPublish, denySubscribe } = rightsFilters(account);
  return [publish, subscribe, denyPublish, denySubscribe].some((filters) =>
    filters.some((filter) => filter.includes('%c')),
  );
}

/** The account's rights for one connection, with %u and %c filled in. */
export function rightsFor(account: AccountSpec, clientId: string): TopicRights {
  return new TopicRights(rightsFilters(account), { username: usernameFor(account), clientId });
}

export function canPublish(account: AccountSpec, topic: string, clientId = ''): boolean {
  return rightsFor(account, clientId).mayPublish(topic);
}

export function canSubscribe(account: AccountSpec, filter: string, clientId = ''): boolean {
  return rightsFor(account, clientId).maySubscribe(filter);
}
