import { InfluxDB, type WriteApi } from '@influxdata/influxdb-client';
import { parseRetryAfter } from '../backoff/index.js';
import type { InfluxV2Config } from './config.js';
import { errorForStatus, InfluxError } from './errors.js';
import { type HttpTarget, influxFetch } from './http.js';

export type Precision = 'ms' | 'ns';

/**
 * Points already joined as a request body, each line ending in a newline, as the ingest reads them
 * from its spool: sent as they are, without splitting them into strings and joining them again.
 */
export interface LineBody {
  text: Uint8Array;
  /** Lines (points) in `text`. */
  points: number;
}

/** Points to write: one encoded line each, or a body of lines. */
export type LinePoints = readonly string[] | LineBody;

function isLineBody(points: LinePoints): points is LineBody {
  return 'text' in points;
}

export function pointCount(points: LinePoints): number {
  return isLineBody(points) ? points.points : points.length;
}

/** One string per point, for what needs them apart (splitting a refused batch, the v2 client). */
export function pointLines(points: LinePoints): readonly string[] {
  if (!isLineBody(points)) return points;
  const text = Buffer.from(points.text.buffer, points.text.byteOffset, points.text.byteLength).toString(
    'utf8',
  );
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Writes encoded line-protocol points. Resolves only once the server has stored them, so callers
 * can confirm their input afterwards; rejects with an InfluxError that says whether a retry can help.
 */
export interface LineWriter {
  write(points: LinePoints, precision: Precision): Promise<void>;
  close(): Promise<void>;
}

/** InfluxDB 1.x `/write`. */
export class V1LineWriter implements LineWriter {
  constructor(
    private readonly target: HttpTarget,
    private readonly database: string,
  ) {}

  async write(points: LinePoints, precision: Precision): Promise<void> {
    const count = pointCount(points);
    if (count === 0) return;
    const response = await influxFetch(this.target, '/write', {
      method: 'POST',
      params: { db: this.database, precision: precision === 'ms' ? 'ms' : 'n' },
      body: isLineBody(points) ? points.text : points.join('\n'),
    });
    if (response.status === 204) {
      await response.body?.cancel();
      return;
    }
    throw errorForStatus(
      response.status,
      await response.text(),
      `write ${count} points to ${this.database}`,
      parseRetryAfter(response.headers.get('retry-after'), Date.now()),
    );
  }

  async close(): Promise<void> {}
}

/**
 * InfluxDB 2.x/3.x `/api/v2/write` through the official client. Its own batching and retries are
 * switched off: the ingest batches and retries itself, and must know when each write is stored. A
 * write API per request, because the ingest has several requests in flight and one API's flush
 * would send (and confirm) another request's lines.
 */
export class V2LineWriter implements LineWriter {
  private readonly client: InfluxDB;

  constructor(private readonly config: InfluxV2Config) {
    this.client = new InfluxDB({ url: config.url, token: config.token, timeout: 30_000 });
  }

  private api(precision: Precision): WriteApi {
    return this.client.getWriteApi(this.config.org, this.config.bucket, precision, {
      batchSize: Number.MAX_SAFE_INTEGER,
      flushInterval: 0,
      maxRetries: 0,
      maxBufferLines: Number.MAX_SAFE_INTEGER,
    });
  }

  async write(points: LinePoints, precision: Precision): Promise<void> {
    if (pointCount(points) === 0) return;
    const api = this.api(precision);
    api.writeRecords(pointLines(points) as string[]);
    try {
      await api.close();
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== undefined)
        throw errorForStatus(status, (error as Error).message, `write to ${this.config.bucket}`);
      throw new InfluxError(
        'INFLUX_UNREACHABLE',
        `InfluxDB at ${this.config.url}: ${(error as Error).message}`,
        true,
      );
    }
  }

  async close(): Promise<void> {}
}
