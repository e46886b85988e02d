import type { Logger } from 'pino';
import type { SimulatedGateway } from '../firmware-bridge/index.js';
import type { IngestService } from '../ingest/index.js';

export interface HistoryProgressOptions {
  simulated: readonly SimulatedGateway[];
  ingest: Pick<IngestService, 'stats' | 'backlog'>;
  logger: Logger;
  /** How often the counters are read. */
  pollMs?: number;
}

export interface HistoryLoaded {
  days: number;
  readings: number;
  messages: number;
  seconds: number;
  readingsPerSecond: number;
}

/** The progress step (in tenths) `done` of `total` has reached. Pure. */
export function tenths(done: number, total: number): number {
  return total <= 0 ? 10 : Math.min(10, Math.floor((done * 10) / total));
}

/**
 * Follows freshly written backfills from the gateways' outboxes to InfluxDB: a log line per tenth of
 * the readings the broker has acknowledged, then waits until the ingest has taken each gateway's
 * last backfill message and its spool has reached InfluxDB. Reads counters the parts already keep
 * (publisher acks, the ingest's sequence tracker and spool), on a short poll: none of them emits
 * events, and a quarter second is nothing against a backfill of tens of seconds.
 */
export async function awaitHistoryStored(
  options: HistoryProgressOptions,
): Promise<HistoryLoaded | undefined> {
  const fresh = options.simulated.flatMap(({ gateway, history }) =>
    history?.fresh ? [{ gateway, marker: history.marker }] : [],
  );
  if (fresh.length === 0) return undefined;
  const total = fresh.reduce((sum, { marker }) => sum + marker.readings, 0);
  const messages = fresh.reduce((sum, { marker }) => sum + marker.messages, 0);
  const startedAt = Date.now();
  const rate = (count: number) => Math.round(count / Math.max(0.001, (Date.now() - startedAt) / 1000));
  let reported = 0;
  const stored = () => {
    const sequences = options.ingest.stats().sequences;
    const taken = fresh.every(({ marker }) => {
      const seen = sequences.find((s) => s.station === marker.station && s.gateway === marker.gateway);
      return seen !== undefined && seen.lastSeq >= marker.lastSeq;
    });
    return taken && (options.ingest.backlog()?.bytes ?? 0) === 0;
  };
  for (;;) {
    // Live readings follow the backlog in the outbox, so acknowledged readings beyond a gateway's
    // backfill are live ones: each gateway counts at most its own backfill.
    const sent = fresh.reduce(
      (sum, { gateway, marker }) => sum + Math.min(marker.readings, gateway.health().published.readings),
      0,
    );
    const step = tenths(sent, total);
    if (step > reported) {
      reported = step;
      options.logger.info({ sent, total, readingsPerSecond: rate(sent) }, `backfill ${step * 10}% sent`);
    }
    if (step === 10 && stored()) break;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
  const first = fresh[0]?.marker;
  const seconds = (Date.now() - startedAt) / 1000;
  return {
    days: first === undefined ? 0 : (first.toMs - first.fromMs) / 86_400_000,
    readings: total,
    messages,
    seconds: Math.round(seconds * 10) / 10,
    readingsPerSecond: rate(total),
  };
}
