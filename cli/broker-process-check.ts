import type { Logger } from 'pino';
import { missingBrokerProcessEnv } from '../broker/index.js';

/**
 * Warns when this process, which runs the broker, was started without the environment that keeps
 * scrypt's buffers out of glibc's arenas (BROKER_PROCESS_ENV): it runs as well without it, only
 * with 50-65 MiB more resident memory, so a warning, not a refusal.
 */
export function warnOfMissingBrokerEnv(logger: Logger): void {
  const missing = missingBrokerProcessEnv(process.env);
  if (missing.length === 0) return;
  logger.warn(
    { missing },
    `started without ${missing.join(' ')} in the environment: each scrypt check of a CONNECT can leave 16 MiB resident in malloc's arenas; set it in the service's environment (npm start does)`,
  );
}
