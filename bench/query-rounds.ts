import type { QueryCase, TimedRequest } from './query-cases.js';
import { type Distribution, distribution } from './stats.js';

export interface CaseOutcome {
  key: QueryCase['key'];
  label: string;
  /** Response body size in bytes, from the last timed request of each side. */
  apiBytes: number;
  bareBytes: number;
  api: Distribution;
  bare: Distribution;
  /** API over bare, of the medians and of the p90s. */
  ratioP50: number;
  ratioP90: number;
  /**
   * The median of each round's own API/bare ratio: the two requests of a round run back to back, so
   * a slow patch of the shared machine that falls on both cancels out.
   */
  ratioPaired: number;
}

/** One request, timed from the call until the last byte of the body has been read. */
export async function timedFetch(request: TimedRequest): Promise<{ ms: number; body: Buffer }> {
  const started = performance.now();
  const response = await fetch(request.url, { headers: request.headers });
  const body = Buffer.from(await response.arrayBuffer());
  const ms = performance.now() - started;
  if (response.status !== 200) {
    throw new Error(`${request.url} answered ${response.status}: ${body.toString('utf8', 0, 500)}`);
  }
  return { ms, body };
}

interface Samples {
  api: number[];
  bare: number[];
  apiBytes: number;
  bareBytes: number;
}

/**
 * Runs `warmup` untimed rounds, then `rounds` timed ones. Each round times every case once on each
 * side, one request at a time, alternating which side goes first from round to round, so a slow
 * patch of the shared machine falls on both sides alike.
 */
export async function runRounds(
  cases: readonly QueryCase[],
  rounds: number,
  warmup: number,
  onRound: (round: number) => void = () => {},
): Promise<CaseOutcome[]> {
  const samples = new Map<QueryCase['key'], Samples>(
    cases.map((item) => [item.key, { api: [], bare: [], apiBytes: 0, bareBytes: 0 }]),
  );
  for (let round = 0; round < warmup + rounds; round++) {
    for (const item of cases) {
      const record = samples.get(item.key) as Samples;
      const order = round % 2 === 0 ? (['api', 'bare'] as const) : (['bare', 'api'] as const);
      for (const side of order) {
        const { ms, body } = await timedFetch(item[side]);
        if (round < warmup) continue;
        record[side].push(ms);
        record[side === 'api' ? 'apiBytes' : 'bareBytes'] = body.length;
      }
    }
    onRound(round - warmup);
  }
  return cases.map((item) => {
    const record = samples.get(item.key) as Samples;
    const api = distribution(record.api);
    const bare = distribution(record.bare);
    return {
      key: item.key,
      label: item.label,
      apiBytes: record.apiBytes,
      bareBytes: record.bareBytes,
      api,
      bare,
      ratioP50: api.p50 / bare.p50,
      ratioP90: api.p90 / bare.p90,
      ratioPaired: distribution(record.api.map((ms, round) => ms / (record.bare[round] ?? Number.NaN))).p50,
    };
  });
}
