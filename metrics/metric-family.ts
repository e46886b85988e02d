/** One time series of a family: its labels (beyond the family name) and its current value. */
export interface MetricSample {
  labels?: Readonly<Record<string, string>>;
  value: number;
}

/**
 * A named set of samples in Prometheus' data model. Counters only ever rise while the process
 * runs (their names end in `_total`); gauges go up and down.
 */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: readonly MetricSample[];
}

/**
 * Something that reports metrics when scraped: the API itself, or what the process that hosts
 * the API adapts from its other parts (the broker's and ingest's stats in `fieldstation up`).
 * A part on another thread (the broker in `up`) answers with a promise, so a scrape shows its
 * counters as they are, not as they were at its last report.
 */
export interface MetricSource {
  collect(): readonly MetricFamily[] | Promise<readonly MetricFamily[]>;
}
