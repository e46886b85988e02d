/**
 * InfluxQL literals. Nothing from a request reaches a query except through these functions or
 * after matching a closed pattern.
 */

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
  if (!Number.isSafeInteger(epochMs)) throw new RangeError(`time ${epochMs} is not whole milliseconds`);
  return `${epochMs}ms`;
}

export const DURATION_PATTERN = /^[1-9][0-9]{0,8}(ms|s|m|h|d|w)$/;

/** A window such as `5m`; only the closed pattern above can pass. */
export function durationLiteral(text: string): string {
  if (!DURATION_PATTERN.test(text))
    throw new RangeError(`"${text}" is not a duration such as 30s, 5m, 1h or 1d`);
  return text;
}
