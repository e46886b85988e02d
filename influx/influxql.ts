/**
 * InfluxQL literals. Nothing from a request reaches a query except through these functions or
 * after matching a closed pattern.
 */

/**
 * A value that cannot become an InfluxQL literal. Requests are validated before they reach a query,
 * so this is a caller's bug, not a user's mistake; the code tells it apart in logs and tests.
 */
export class InfluxQlError extends RangeError {
  readonly code = 'INFLUXQL_LITERAL_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'InfluxQlError';
  }
}

/** A double-quoted identifier (measurement, tag or field name). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A single-quoted string literal, for tag comparisons. */
export function quoteString(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** An epoch-millisecond instant as an InfluxQL time literal. */
export function timeLiteral(epochMs: number): string {
  if (!Number.isSafeInteger(epochMs)) throw new InfluxQlError(`time ${epochMs} is not whole milliseconds`);
  return `${epochMs}ms`;
}

/** A count for LIMIT or OFFSET, refused unless it is a whole number of at least `min`. */
export function countLiteral(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new InfluxQlError(`${name} ${value} is not an integer >= ${min}`);
  return value;
}

export const DURATION_PATTERN = /^[1-9][0-9]{0,8}(ms|s|m|h|d|w)$/;

/** A window such as `5m`; only the closed pattern above can pass. */
export function durationLiteral(text: string): string {
  if (!DURATION_PATTERN.test(text))
    throw new InfluxQlError(`"${text}" is not a duration such as 30s, 5m, 1h or 1d`);
  return text;
}
