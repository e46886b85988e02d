import { type Logger, pino } from 'pino';

/** Where a logger writes its JSON lines. */
export interface LineSink {
  write(line: string): void;
}

/**
 * The destination of `logger`, so the broker thread's lines (posted to the parent) go out through
 * the same stream as the parent's own: stdout for `fieldstation up`, the recorder in tests. Each
 * line is a whole JSON record, so the two threads' records never mix within a line.
 */
export function destinationOf(logger: Logger): LineSink {
  const stream = (logger as unknown as Record<symbol, { write?: unknown } | undefined>)[
    pino.symbols.streamSym
  ];
  const write = stream?.write;
  if (typeof write !== 'function') {
    throw new Error("the logger has no destination stream to write the broker thread's log lines to");
  }
  return { write: (line) => void write.call(stream, line) };
}
