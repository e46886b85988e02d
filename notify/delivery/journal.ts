import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  type AlertAck,
  AlertAckSchema,
  type AlertSilence,
  AlertSilenceSchema,
  DeliveryOutcomeSchema,
  RuleIdSchema,
  StationIdSchema,
} from '../../protocol/index.js';
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
  z.object({ t: z.literal('ack'), ack: AlertAckSchema }),
  z.object({
    t: z.literal('silence'),
    station: StationIdSchema,
    rule: RuleIdSchema,
    silence: AlertSilenceSchema.nullable(),
  }),
]);

/** The last acknowledgement and silence heard of each rule, as the journal remembers them. */
export interface RememberedActions {
  acks: AlertAck[];
  silences: { station: string; rule: string; silence: AlertSilence | undefined }[];
}

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
  /** Whether the last write failed part way, so the file may end in the middle of a line. */
  private mayBeTorn = false;
  /**
   * The last ack and silence line of each rule. Remembered so that after a restart an acknowledged
   * episode is known as such before the retained acknowledgement arrives again.
   */
  private readonly actions = new Map<string, JournalLine>();

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
      else if (record.t === 'outcome') ledger.apply(record);
      else this.actions.set(actionKey(record), record);
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

  /** Records an acknowledgement (fsynced); one already remembered is not written again. */
  appendAck(ack: AlertAck): Promise<void> {
    return this.remember({ t: 'ack', ack });
  }

  /** Records a silence, or its lifting (`undefined`). */
  appendSilence(station: string, rule: string, silence: AlertSilence | undefined): Promise<void> {
    return this.remember({ t: 'silence', station, rule, silence: silence ?? null });
  }

  remembered(): RememberedActions {
    const remembered: RememberedActions = { acks: [], silences: [] };
    for (const line of this.actions.values()) {
      const parsed = JournalLineSchema.parse(line);
      if (parsed.t === 'ack') remembered.acks.push(parsed.ack);
      if (parsed.t === 'silence')
        remembered.silences.push({
          station: parsed.station,
          rule: parsed.rule,
          silence: parsed.silence ?? undefined,
        });
    }
    return remembered;
  }

  private remember(line: Extract<JournalLine, { t: 'ack' | 'silence' }>): Promise<void> {
    const key = actionKey(line);
    const previous = this.actions.get(key);
    if (JSON.stringify(previous) === JSON.stringify(line)) return Promise.resolve();
    this.actions.set(key, line);
    return this.append([line]).catch((error: unknown) => {
      // Not on disk: forgotten again, so its redelivery is written rather than taken as known.
      if (this.actions.get(key) === line) {
        if (previous === undefined) this.actions.delete(key);
        else this.actions.set(key, previous);
      }
      throw error;
    });
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
      // A failed write (disk full) may have left part of a line: without a newline first, the next
      // line would be glued to it and skipped with it at the next open. Blank lines are skipped.
      const fresh = this.mayBeTorn ? `\n${text}` : text;
      this.mayBeTorn = true;
      await handle.appendFile(fresh, 'utf8');
      this.mayBeTorn = false;
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
      const lines = [...ledger.prune().flatMap((entry) => entryLines(entry)), ...this.actions.values()];
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(lines.map((line) => `${JSON.stringify(line)}\n`).join(''), 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
      this.handle = await open(this.file, 'a');
      this.mayBeTorn = false;
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

function actionKey(
  line:
    | { t: 'ack'; ack: { station: string; rule: string } }
    | { t: 'silence'; station: string; rule: string },
): string {
  return line.t === 'ack'
    ? `ack ${line.ack.station}/${line.ack.rule}`
    : `silence ${line.station}/${line.rule}`;
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
