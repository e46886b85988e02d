import { type Subscribers, SubscribersFileSchema } from './subscribers-schema.js';

/** One thing wrong with a subscribers document: where (`contacts.1.webhook.secret`) and what was expected. */
export interface SubscribersIssue {
  path: string;
  message: string;
}

export type SubscribersCheck =
  | { ok: true; subscribers: Subscribers }
  | { ok: false; issues: readonly SubscribersIssue[] };

/** Validates a document already parsed (from JSON, say) with the notifier's own schema. */
export function checkSubscribers(document: unknown): SubscribersCheck {
  const parsed = SubscribersFileSchema.safeParse(document);
  if (parsed.success) return { ok: true, subscribers: Object.freeze(parsed.data) };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.length > 0 ? issue.path.join('.') : '(document)',
      message: issue.message,
    })),
  };
}
