import type { FastifyBaseLogger } from 'fastify';
import { InfluxError } from '../../../influx/index.js';
import type { QueryPort } from '../../ports.js';

/**
 * How long /healthz waits for InfluxDB's ping. A probe must answer within a second whatever hangs
 * behind it (a frozen influxd accepts connections and never replies, so the client's own timeout is 30 s).
 */
export const PING_DEADLINE_MS = 800;

export type InfluxHealth = { reachable: true } | { reachable: false; reason: string };

/** Pings InfluxDB, giving up after `deadlineMs`; a late answer is dropped (and a late failure logged). */
export async function pingWithin(
  queries: QueryPort,
  deadlineMs: number,
  log: FastifyBaseLogger,
): Promise<InfluxHealth> {
  const answered = queries.ping().then(
    (): InfluxHealth => ({ reachable: true }),
    (error: unknown): InfluxHealth => {
      log.warn({ err: error }, 'InfluxDB ping failed');
      // The error's message names the server's address, which an unauthenticated probe should not show.
      const code = error instanceof InfluxError ? error.code : 'INTERNAL_ERROR';
      return { reachable: false, reason: `InfluxDB ping failed (${code})` };
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<InfluxHealth>((resolve) => {
    timer = setTimeout(
      () => resolve({ reachable: false, reason: `InfluxDB did not answer within ${deadlineMs} ms` }),
      deadlineMs,
    );
  });
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}
