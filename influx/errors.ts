export type InfluxErrorCode =
  | 'INFLUX_UNREACHABLE'
  | 'INFLUX_UNAUTHORIZED'
  | 'INFLUX_DATABASE_NOT_FOUND'
  | 'INFLUX_WRITE_REJECTED'
  | 'INFLUX_QUERY_FAILED'
  | 'INFLUX_OVERLOADED'
  | 'INFLUX_DIALECT_MISMATCH'
  /** The private influxd of `fieldstation up` exited and did not come back in time. */
  | 'INFLUXD_RESTART_FAILED';

/**
 * An InfluxDB failure that knows whether trying again can help: network errors, 429 and 5xx can,
 * and so can a write blocked by a condition an operator fixes (401/403, 404); a write the server
 * refuses for its content (400, 413, 422) or any refused query cannot.
 */
export class InfluxError extends Error {
  constructor(
    readonly code: InfluxErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    options?: ErrorOptions & { retryAfterMs?: number },
  ) {
    super(message, options);
    this.name = 'InfluxError';
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** How long the server asked us to wait (Retry-After on 429 and 503), when it said. */
  readonly retryAfterMs: number | undefined;
}

const UNAUTHORIZED_HINT = 'check FS_INFLUX_USERNAME/FS_INFLUX_PASSWORD or FS_INFLUX_TOKEN and its rights';
const NOT_FOUND_HINT =
  'the database or bucket is missing; check FS_INFLUX_DATABASE/FS_INFLUX_BUCKET or create it';
/** Statuses that blame the points themselves: bad line protocol or type conflict, too large, outside retention. */
const CONTENT_REJECTED = new Set([400, 413, 422]);

export function errorForStatus(
  status: number,
  body: string,
  action: string,
  retryAfter?: number,
): InfluxError {
  const detail = `${action}: HTTP ${status} ${body.slice(0, 500)}`.trim();
  // A writer holds its input unacknowledged while it retries, so it can wait for an operator to fix
  // credentials or create the database; a query answers a request that cannot wait that long.
  const write = action.startsWith('write');
  if (status === 401 || status === 403)
    return new InfluxError('INFLUX_UNAUTHORIZED', `${detail} (${UNAUTHORIZED_HINT})`, write, status);
  if (status === 404)
    return new InfluxError('INFLUX_DATABASE_NOT_FOUND', `${detail} (${NOT_FOUND_HINT})`, write, status);
  if (status === 429 || status === 503) {
    const options = retryAfter === undefined ? {} : { retryAfterMs: retryAfter };
    return new InfluxError('INFLUX_OVERLOADED', detail, true, status, options);
  }
  if (status >= 500) return new InfluxError('INFLUX_UNREACHABLE', detail, true, status);
  if (write) return new InfluxError('INFLUX_WRITE_REJECTED', detail, !CONTENT_REJECTED.has(status), status);
  return new InfluxError('INFLUX_QUERY_FAILED', detail, false, status);
}
