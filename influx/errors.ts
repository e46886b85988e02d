export type InfluxErrorCode =
  | 'INFLUX_UNREACHABLE'
  | 'INFLUX_UNAUTHORIZED'
  | 'INFLUX_WRITE_REJECTED'
  | 'INFLUX_QUERY_FAILED'
  | 'INFLUX_OVERLOADED'
  | 'INFLUX_DIALECT_MISMATCH';

/**
 * An InfluxDB failure that knows whether trying again can help: network errors, 429 and 5xx can;
 * a 400 (bad line protocol, field type conflict) or 401 cannot.
 */
export class InfluxError extends Error {
  constructor(
    readonly code: InfluxErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InfluxError';
  }
}

export function errorForStatus(status: number, body: string, action: string): InfluxError {
  const detail = `${action}: HTTP ${status} ${body.slice(0, 500)}`.trim();
  if (status === 401 || status === 403) return new InfluxError('INFLUX_UNAUTHORIZED', detail, false, status);
  if (status === 429 || status === 503) return new InfluxError('INFLUX_OVERLOADED', detail, true, status);
  if (status >= 500) return new InfluxError('INFLUX_UNREACHABLE', detail, true, status);
  if (action.startsWith('write')) return new InfluxError('INFLUX_WRITE_REJECTED', detail, false, status);
  return new InfluxError('INFLUX_QUERY_FAILED', detail, false, status);
}
