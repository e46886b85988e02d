import { type Logger, pino } from 'pino';

/** One pino JSON log line, parsed. */
export interface LogRecord {
  level: number;
  time: number;
  msg: string;
  [field: string]: unknown;
}

export type LogMatch = (record: LogRecord) => boolean;

interface Waiter {
  match: LogMatch;
  resolve: (record: LogRecord) => void;
}

/**
 * Collects JSON log lines (from an in-process pino logger or a child process's stdout) and lets a
 * test await the first line that matches, including one already seen. Lines that are not JSON are
 * kept in `text` so a failure can show them.
 */
export class LogRecorder {
  readonly records: LogRecord[] = [];
  readonly text: string[] = [];
  private readonly waiters = new Set<Waiter>();
  private partial = '';

  /** Feeds raw output, which may end in the middle of a line. */
  write(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line.trim() === '') return;
    let record: LogRecord;
    try {
      record = JSON.parse(line) as LogRecord;
    } catch {
      this.text.push(line);
      return;
    }
    this.records.push(record);
    for (const waiter of this.waiters) {
      if (!waiter.match(record)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(record);
    }
  }

  find(msg: string, match: LogMatch = () => true): LogRecord | undefined {
    return this.records.find((record) => record.msg === msg && match(record));
  }

  /** Resolves with the first record with this message (and matching `match`), seen or yet to come. */
  waitFor(msg: string, match: LogMatch = () => true, timeoutMs = 10_000): Promise<LogRecord> {
    const seen = this.find(msg, match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match: (record) => record.msg === msg && match(record),
        resolve: (record) => {
          clearTimeout(timer);
          resolve(record);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no log line "${msg}" within ${timeoutMs} ms; last lines:\n${this.tail()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The last lines seen, for failure messages. */
  tail(count = 15): string {
    return this.records
      .slice(-count)
      .map((record) => JSON.stringify(record).slice(0, 400))
      .concat(this.text.slice(-count))
      .join('\n');
  }

  /**
   * A pino logger that records into this recorder at `info` (so tests can await lifecycle lines);
   * FS_TEST_LOG=1 also echoes it to stderr.
   */
  logger(): Logger {
    const echo = process.env.FS_TEST_LOG !== undefined && process.env.FS_TEST_LOG !== 'silent';
    return pino(
      { level: 'info' },
      {
        write: (line: string) => {
          this.write(line);
          if (echo) process.stderr.write(line);
        },
      },
    );
  }
}
