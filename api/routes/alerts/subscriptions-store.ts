import type { SubscriptionsView } from './subscriptions-view.js';

/** One thing wrong with a subscriptions document: where (`contacts.1.webhook.secret`) and what was expected. */
export interface SubscriptionsIssue {
  path: string;
  message: string;
}

export type SubscriptionsRead =
  | { outcome: 'ok'; view: SubscriptionsView }
  /** The file cannot be read or is invalid (the notifier keeps the previous version); a PUT may still replace it. */
  | { outcome: 'file-invalid'; file: string; etag: string; issues: readonly SubscriptionsIssue[] };

export type SubscriptionsReplace =
  | { outcome: 'ok'; view: SubscriptionsView }
  | { outcome: 'invalid'; issues: readonly SubscriptionsIssue[] }
  /** The file changed since the client read it: `etag` is the current one. */
  | { outcome: 'conflict'; etag: string };

/**
 * Where the API reads and replaces the notifier's subscriptions; the process that embeds the API
 * provides it (the subscribers file in `fieldstation up` and `fieldstation api --subscribers`).
 */
export interface SubscriptionsStore {
  read(): Promise<SubscriptionsRead>;
  /** Validates and writes `document` unless the file's current entity tag is not one of `ifMatch`. */
  replace(document: unknown, ifMatch: readonly string[]): Promise<SubscriptionsReplace>;
}
