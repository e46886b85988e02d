import { bodyLines } from './body-lines.js';
import { errorForStatus, InfluxError } from './errors.js';
import { DEFAULT_TIMEOUT_MS, type HttpTarget, influxFetch } from './http.js';
import { IdleDeadline } from './idle-deadline.js';
import { type QuerySeries, seriesOf, seriesOfLine } from './query-response.js';

export type { QuerySeries } from './query-response.js';

export interface PingResult {
  /** As the server reports it in `X-Influxdb-Version`, e.g. `1.6.7~rc0` or `v2.7.10`. */
  version: string;
  major: number;
}

/** InfluxQL over `/query`, which InfluxDB 1.x answers natively and 2.x/3.x through v1 compatibility. */
export class InfluxQueryClient {
  constructor(
    private readonly target: HttpTarget,
    readonly database: string,
  ) {}

  async ping(): Promise<PingResult> {
    const response = await influxFetch(this.target, '/ping', { method: 'GET', params: {} });
    await response.body?.cancel();
    if (response.status !== 204 && response.status !== 200) {
      throw errorForStatus(response.status, '', `ping ${this.target.url}`);
    }
    const version = response.headers.get('x-influxdb-version') ?? 'unknown';
    const major = Number.parseInt(version.replace(/^v/, ''), 10);
    return { version, major: Number.isNaN(major) ? 0 : major };
  }

  /** Runs statements that change the server (CREATE DATABASE, …). */
  async execute(statement: string): Promise<void> {
    const response = await influxFetch(this.target, '/query', { method: 'POST', params: { q: statement } });
    const text = await response.text();
    if (!response.ok) throw errorForStatus(response.status, text, `query ${statement}`);
    seriesOf(JSON.parse(text), statement);
  }

  /** Runs one read query and returns all series; times are epoch milliseconds. */
  async query(query: string): Promise<QuerySeries[]> {
    const response = await influxFetch(this.target, '/query', {
      method: 'GET',
      params: { db: this.database, q: query, epoch: 'ms' },
    });
    const text = await response.text();
    if (!response.ok) throw errorForStatus(response.status, text, `query ${query}`);
    return seriesOf(JSON.parse(text), query);
  }

  /**
   * Streams a large result chunk by chunk (`chunked=true`), so memory stays bounded whatever the
   * time range. Each yielded series holds at most `chunkSize` rows. The timeout bounds the server's
   * silence, not the whole result: a long result read by a slow client may take minutes, but a
   * server that stops sending (frozen, or cut off) fails the stream with INFLUX_UNREACHABLE.
   * `cancel` aborts the query at any point, even while its first chunk is awaited.
   */
  async *stream(query: string, chunkSize = 10_000, cancel?: AbortSignal): AsyncGenerator<QuerySeries> {
    const idle = new IdleDeadline(this.target.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    idle.arm();
    try {
      const response = await influxFetch(this.target, '/query', {
        method: 'GET',
        params: { db: this.database, q: query, epoch: 'ms', chunked: 'true', chunk_size: String(chunkSize) },
        signal: cancel === undefined ? idle.signal : AbortSignal.any([idle.signal, cancel]),
      });
      if (!response.ok || response.body === null) {
        throw errorForStatus(response.status, await response.text(), `query ${query}`);
      }
      // Returning the iterator (when the consumer stops early, e.g. its HTTP client hung up) cancels the body.
      for await (const line of this.linesOf(response.body, idle)) {
        if (line.trim() === '') continue;
        idle.disarm();
        yield* seriesOfLine(line, query);
        idle.arm();
      }
    } finally {
      idle.disarm();
    }
  }

  private async *linesOf(body: ReadableStream<Uint8Array>, idle: IdleDeadline): AsyncGenerator<string> {
    try {
      yield* bodyLines(body);
    } catch (error) {
      const how = idle.expired ? `sent nothing for ${idle.ms} ms` : 'broke off';
      throw new InfluxError(
        'INFLUX_UNREACHABLE',
        `InfluxDB at ${this.target.url} ${how} in the middle of a result: ${(error as Error).message}`,
        true,
        undefined,
        { cause: error },
      );
    }
  }
}
