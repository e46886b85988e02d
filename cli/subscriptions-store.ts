import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type {
  SubscriptionsIssue,
  SubscriptionsRead,
  SubscriptionsReplace,
  SubscriptionsStore,
  SubscriptionsView,
} from '../api/index.js';
import {
  checkSubscribers,
  formatSubscribers,
  keepWebhookSecrets,
  parseSubscribers,
  type Subscribers,
  SubscribersError,
  writeSubscribersFile,
} from '../notify/index.js';
import { redactSubscribers } from './subscriptions-view.js';

/** The file as it is on disk now: its text's entity tag and, when valid, its subscriptions. */
type Current =
  | { valid: true; etag: string; subscribers: Subscribers; modifiedMs: number }
  | { valid: false; etag: string; issues: readonly SubscriptionsIssue[] };

/** A strong entity tag of the file's exact bytes: any edit, by the API or by hand, changes it. */
export function etagOf(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

function issuesOf(error: unknown): SubscriptionsIssue[] {
  if (!(error instanceof SubscribersError)) return [{ path: '(file)', message: (error as Error).message }];
  return error.issues.map((issue) => {
    // SubscribersError issues read "path: message"; YAML syntax errors read "line N: message".
    const colon = issue.indexOf(': ');
    return colon < 0
      ? { path: '(file)', message: issue }
      : { path: issue.slice(0, colon), message: issue.slice(colon + 2) };
  });
}

/**
 * The subscribers file behind the API's SubscriptionsStore port. Reads and validates it with the
 * notifier's own loader; replaces it with the notifier's schema and an atomic write, so the
 * notifier's watcher reloads it. Replacements in this process are serialised, so two requests with
 * the same If-Match cannot both pass the check.
 */
export class FileSubscriptionsStore implements SubscriptionsStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  private async current(): Promise<Current> {
    let text: string;
    let modifiedMs: number;
    try {
      [text, modifiedMs] = await Promise.all([
        readFile(this.file, 'utf8'),
        stat(this.file).then((stats) => stats.mtimeMs),
      ]);
    } catch (error) {
      // A missing file has the empty text's tag, so a PUT with it may create the file.
      return {
        valid: false,
        etag: etagOf(''),
        issues: [{ path: '(file)', message: `cannot read: ${(error as Error).message}` }],
      };
    }
    const etag = etagOf(text);
    try {
      return { valid: true, etag, subscribers: parseSubscribers(text, this.file), modifiedMs };
    } catch (error) {
      return { valid: false, etag, issues: issuesOf(error) };
    }
  }

  private view(current: Extract<Current, { valid: true }>): SubscriptionsView {
    return {
      file: this.file,
      modifiedAt: new Date(current.modifiedMs).toISOString(),
      etag: current.etag,
      subscriptions: redactSubscribers(current.subscribers),
    };
  }

  async read(): Promise<SubscriptionsRead> {
    const current = await this.current();
    return current.valid
      ? { outcome: 'ok', view: this.view(current) }
      : { outcome: 'file-invalid', file: this.file, etag: current.etag, issues: current.issues };
  }

  replace(document: unknown, ifMatch: readonly string[]): Promise<SubscriptionsReplace> {
    const next = this.queue.then(() => this.replaceNow(document, ifMatch));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async replaceNow(document: unknown, ifMatch: readonly string[]): Promise<SubscriptionsReplace> {
    const before = await this.current();
    if (!ifMatch.includes(before.etag)) return { outcome: 'conflict', etag: before.etag };
    const checked = checkSubscribers(
      keepWebhookSecrets(document, before.valid ? before.subscribers : undefined),
    );
    if (!checked.ok) return { outcome: 'invalid', issues: checked.issues };
    await writeSubscribersFile(this.file, formatSubscribers(checked.subscribers));
    const after = await this.current();
    if (!after.valid) throw new Error(`${this.file}: the version just written does not load back`);
    return { outcome: 'ok', view: this.view(after) };
  }
}
