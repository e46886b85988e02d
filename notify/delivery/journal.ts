import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DeliveryOutcomeSchema } from '../../protocol/index.js';
import { NotificationSchema } from '../planning/notification.js';
import { Ledger, type LedgerEntry, type OutcomeRecord } from './ledger.js';

const JournalLineSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('planned'), notification: NotificationSchema }),
  z.object({
    t: z.literal('outcome'),
    id: z.string(),
    outcome: DeliveryOutcomeSchema,
    attempt: z.number().int().positive(),
    time: z.number().int(),
    firstAttemptAt: z.number().int(),
    retryAt: z.number().int().optional(),
    error: z.string().optional(),
  }),
]);

type JournalLine = z.input<typeof JournalLineSchema>;

export const JOURNAL_FILE = 'journal.jsonl';

/**
 * The notifier's memory, as append-only JSON lines under DATA_DIR/notify: each notification when it
 * is planned, and each attempt's outcome. Every append is fsynced before the caller goes on (for a
 * planned notification, before the MQTT message that caused it is acknowledged), so a notification
 * survives a restart and one already sent is not sent again. Compacted at open and as it grows.
 */
export class Journal {
  private handle: FileHandle | undefined;
  private writing: Promise<void> = Promise.resolve();
  private linesSinceCompaction = 0;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
    private readonly compactAfterLines = 10_000,
  ) {}

  private get file(): string {
    return join(this.dir, JOURNAL_FILE);
  }

  /** Reads the journal into a ledger (a torn last line from a crash is skipped), then compacts it. */
  async open(): Promise<Ledger> {
    await mkdir(this.dir, { recursive: true });
    const ledger = new Ledger();
    let text = '';
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const parsed = JournalLineSchema.safeParse(safeJson(line));
      if (!parsed.success) {
        skipped++;
        continue;
      }
      const record = parsed.data;
      if (record.t === 'planned') ledger.add(record.notification);
      else ledger.apply(record);
    }
    if (skipped > 0) this.logger.warn({ file: this.file, skipped }, 'unreadable journal lines skipped');
    await this.compact(ledger);
    return ledger;
  }

  appendPlanned(notifications: readonly LedgerEntry['notification'][]): Promise<void> {
    return this.append(notifications.map((notification) => ({ t: 'planned', notification })));
  }

  appendOutcome(record: OutcomeRecord): Promise<void> {
    return this.append([{ t: 'outcome', ...record }]);
  }

  /** Whether enough has been appended since the last compaction to make another worthwhile. */
  get wantsCompaction(): boolean {
    return this.linesSinceCompaction >= this.compactAfterLines;
  }

  private append(lines: readonly JournalLine[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    const next = this.writing.then(async () => {
      const handle = this.requireHandle();
      await handle.appendFile(text, 'utf8');
      await handle.datasync();
      this.linesSinceCompaction += lines.length;
    });
    this.writing = next.catch(() => {});
    return next;
  }

  /** Prunes the ledger and rewrites the journal with what is left: a temp file, fsynced, renamed over it. */
  compact(ledger: Ledger): Promise<void> {
    const next = this.writing.then(async () => {
      await this.handle?.close();
      this.handle = undefined;
      const temp = `${this.file}.tmp`;
      const lines = ledger.prune().flatMap((entry) => entryLines(entry));
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(lines.map((line) => `${JSON.stringify(line)}\n`).join(''), 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
      this.handle = await open(this.file, 'a');
      this.linesSinceCompaction = 0;
    });
    this.writing = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    await this.writing;
    await this.handle?.close();
    this.handle = undefined;
  }

  private requireHandle(): FileHandle {
    if (this.handle === undefined) throw new Error(`the notify journal ${this.file} is not open`);
    return this.handle;
  }
}

function entryLines(entry: LedgerEntry): JournalLine[] {
  const planned: JournalLine = { t: 'planned', notification: entry.notification };
  if (entry.status === 'pending' || entry.firstAttemptAt === undefined) return [planned];
  const outcome: JournalLine = {
    t: 'outcome',
    id: entry.notification.id,
    outcome: entry.status,
    attempt: Math.max(1, entry.attempts),
    time: entry.dueAt,
    firstAttemptAt: entry.firstAttemptAt,
    ...(entry.status === 'retrying' ? { retryAt: entry.dueAt } : {}),
    ...(entry.lastError === undefined ? {} : { error: entry.lastError }),
  };
  return [planned, outcome];
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
