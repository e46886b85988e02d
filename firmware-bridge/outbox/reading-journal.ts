import { type FileHandle, mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { syncDirectory } from '../../durable-files/index.js';
import { type Reading, ReadingSchema } from '../../protocol/index.js';
import { appendDurably } from './append-durably.js';

export interface ReadingJournalOptions {
  /** A directory of its own: every file in it is a journal file. */
  dir: string;
  /** A file is closed and a new one begun past this size; released files are deleted oldest first. */
  fileBytes?: number;
}

/** A group of readings written with one fsync, under its number. */
export interface JournalGroup {
  group: number;
  readings: Reading[];
}

const GroupLineSchema = z.strictObject({
  group: z.number().int().nonnegative(),
  readings: z.array(ReadingSchema),
});
const ReleasedLineSchema = z.strictObject({ released: z.array(z.number().int().nonnegative()) });
const NAME = /^readings-(\d{16})\.jsonl$/;

interface JournalFile {
  readonly path: string;
  /** Groups written to this file and not yet released. */
  readonly open: Set<number>;
}

interface Waiting {
  readings: Reading[];
  done: (group: number) => void;
  fail: (error: unknown) => void;
}

/**
 * The outbox's first stage: readings reach the disk as they are made, before they wait for company
 * in a batch. What arrives while one write is being fsynced is written together with the next one
 * (group commit), so a card sees one fsync per burst of readings, not one per reading. A group is
 * released once its readings are in a stored message; what was never released is recovered at the
 * next start. Release marks ride along with the next write: one lost to a crash costs a reading
 * sent twice (stored once, as writes are idempotent), never a reading lost.
 */
export class ReadingJournal {
  private readonly fileBytes: number;
  private files: JournalFile[] = [];
  private active: FileHandle | undefined;
  private activeBytes = 0;
  private nextGroup = 0;
  private waiting: Waiting[] = [];
  private released: number[] = [];
  private writing: Promise<void> | undefined;

  constructor(private readonly options: ReadingJournalOptions) {
    this.fileBytes = options.fileBytes ?? 256 * 1024;
  }

  /** Opens the journal; returns the groups a previous run wrote and never released, oldest first. */
  async recover(): Promise<JournalGroup[]> {
    await mkdir(this.options.dir, { recursive: true });
    const names = (await readdir(this.options.dir)).filter((name) => NAME.test(name)).sort();
    const groups = new Map<number, Reading[]>();
    const released = new Set<number>();
    for (const name of names) {
      const text = await readFile(join(this.options.dir, name), 'utf8');
      for (const line of text.split('\n')) readLine(line, groups, released);
    }
    this.nextGroup = Math.max(-1, ...groups.keys()) + 1;
    this.files = names.map((name) => ({ path: join(this.options.dir, name), open: new Set<number>() }));
    return [...groups]
      .filter(([group]) => !released.has(group))
      .map(([group, readings]) => ({ group, readings }));
  }

  /** Forgets every file of a previous run, once what `recover` returned is stored elsewhere. */
  async clear(): Promise<void> {
    for (const file of this.files) await rm(file.path, { force: true });
    this.files = [];
    await syncDirectory(this.options.dir);
  }

  /** Resolves with the group's number once the readings are on disk. */
  record(readings: readonly Reading[]): Promise<number> {
    return new Promise((done, fail) => {
      this.waiting.push({ readings: [...readings], done, fail });
      this.writing ??= this.writeLoop().finally(() => {
        this.writing = undefined;
      });
    });
  }

  /** The group's readings are stored elsewhere; the mark reaches the disk with the next write. */
  release(group: number): void {
    this.released.push(group);
    for (const file of this.files) file.open.delete(group);
  }

  /** Writes what is waiting and the release marks, then closes the file. */
  async stop(): Promise<void> {
    await this.writing;
    if (this.released.length > 0 && this.active !== undefined) await this.writeLines([]);
    await this.deleteReleasedFiles();
    await this.active?.close();
    this.active = undefined;
  }

  private async writeLoop(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      const numbered = batch.map((entry) => ({ entry, group: this.nextGroup++ }));
      try {
        await this.writeLines(numbered.map(({ entry, group }) => ({ group, readings: entry.readings })));
        for (const { entry, group } of numbered) entry.done(group);
      } catch (error) {
        for (const { entry } of numbered) entry.fail(error);
      }
      await this.deleteReleasedFiles();
    }
  }

  private async writeLines(groups: JournalGroup[]): Promise<void> {
    const handle = await this.writableFile();
    const file = this.files.at(-1) as JournalFile;
    const lines = groups.map((group) => `${JSON.stringify(group)}\n`);
    if (this.released.length > 0) lines.push(`${JSON.stringify({ released: this.released })}\n`);
    this.released = [];
    const text = lines.join('');
    await appendDurably(handle, text, this.activeBytes);
    this.activeBytes += Buffer.byteLength(text);
    for (const { group } of groups) file.open.add(group);
  }

  private async writableFile(): Promise<FileHandle> {
    if (this.active !== undefined && this.activeBytes < this.fileBytes) return this.active;
    await this.active?.close();
    const path = join(this.options.dir, `readings-${String(this.nextGroup).padStart(16, '0')}.jsonl`);
    this.active = await open(path, 'a');
    this.activeBytes = 0;
    this.files.push({ path, open: new Set() });
    await syncDirectory(this.options.dir);
    return this.active;
  }

  // Oldest first: a file's release marks live in it or in later files, which must outlive it.
  private async deleteReleasedFiles(): Promise<void> {
    while (this.files.length > 1 && (this.files[0] as JournalFile).open.size === 0) {
      const oldest = this.files.shift() as JournalFile;
      await rm(oldest.path, { force: true });
    }
  }
}

/** One journal line into the maps; a torn or foreign line (a crash mid-write) is passed over. */
function readLine(line: string, groups: Map<number, Reading[]>, released: Set<number>): void {
  if (line === '') return;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return;
  }
  const group = GroupLineSchema.safeParse(json);
  if (group.success) {
    groups.set(group.data.group, group.data.readings);
    return;
  }
  const marks = ReleasedLineSchema.safeParse(json);
  if (marks.success) for (const mark of marks.data.released) released.add(mark);
}
