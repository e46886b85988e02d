import { type Logger, pino } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function createLogger(level: string, name: string): Logger {
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new Error(`log level "${level}" is not one of ${LEVELS.join(', ')}`);
  }
  return pino({ name, level, base: { pid: process.pid } });
}
