import type { Logger } from 'pino';
import type { BrokerCounters, LimitKind } from '../broker-stats.js';

/** Who hit a limit: the account, the client id and the topic, as far as they are known. */
export interface LimitHitContext {
  account?: string | undefined;
  clientId?: string | undefined;
  topic?: string | undefined;
  [detail: string]: unknown;
}

/** Counts each limit hit in the broker's stats and logs it with who hit it. */
export class LimitReporter {
  readonly #counters: BrokerCounters;
  readonly #logger: Logger;

  constructor(counters: BrokerCounters, logger: Logger) {
    this.#counters = counters;
    this.#logger = logger;
  }

  /** `log: false` counts without a line, for repeats the first line already announced. */
  hit(kind: LimitKind, context: LimitHitContext, message: string, log = true): void {
    this.#counters.limitHits[kind] += 1;
    if (log) this.announce(kind, context, message);
  }

  /** Logs without counting: a limit that has engaged but not yet refused anything. */
  announce(kind: LimitKind, context: LimitHitContext, message: string): void {
    this.#logger.warn({ limit: kind, ...context }, message);
  }
}
