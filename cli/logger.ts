import { type Logger, pino } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Logs go to stdout (fd 1) for services; a command whose stdout is its result logs to stderr (fd 2). */
export function createLogger(level: string, name: string, fd: 1 | 2 = 1): Logger {
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new Error(`log level "${level}" is not one of ${LEVELS.join(', ')}`);
  }
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(fd));
}
