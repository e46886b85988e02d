import { z } from 'zod';
import { LATEST_SAMPLE_MS } from '../../protocol/index.js';

const RELATIVE_PATTERN = /^-([1-9][0-9]{0,8})(ms|s|m|h|d|w)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const Rfc3339 = z.iso.datetime({ offset: true });

export const TIME_EXPRESSION_HINT =
  'must be an RFC 3339 time with a zone (2026-11-27T08:00:00Z), a relative time (-6h, -30m, -7d) or "now", ' +
  'between 1970 and 2100';

/** The longest aggregation window: a year, so every window has a place on the calendar. */
export const MAX_WINDOW_MS = 366 * 86_400_000;

// Instants outside 1970..2100 cannot be sample times (the contract refuses them) and overflow InfluxQL.
function withinEra(ms: number): number | undefined {
  return ms >= 0 && ms <= LATEST_SAMPLE_MS ? ms : undefined;
}

/** Milliseconds in a duration such as `5m`, `90s` or `-6h` without its sign. */
export function durationMs(amount: number, unit: keyof typeof UNIT_MS): number {
  return amount * UNIT_MS[unit];
}

/**
 * Resolves a time parameter against `nowMs`: `now`, a relative time before now (`-6h`) or an
 * RFC 3339 instant. Returns undefined for anything else, so callers name the parameter in the error.
 */
export function parseTimeExpression(text: string, nowMs: number): number | undefined {
  if (text === 'now') return nowMs;
  const relative = RELATIVE_PATTERN.exec(text);
  if (relative)
    return withinEra(nowMs - durationMs(Number(relative[1]), relative[2] as keyof typeof UNIT_MS));
  if (!Rfc3339.safeParse(text).success) return undefined;
  const parsed = Date.parse(text);
  return Number.isFinite(parsed) ? withinEra(parsed) : undefined;
}

/** A window such as `5m` in milliseconds; undefined if it is not one or is longer than a year. */
export function windowMs(text: string): number | undefined {
  const match = /^([1-9][0-9]{0,8})(ms|s|m|h|d|w)$/.exec(text);
  if (!match) return undefined;
  const ms = durationMs(Number(match[1]), match[2] as keyof typeof UNIT_MS);
  return ms <= MAX_WINDOW_MS ? ms : undefined;
}

/** A time parameter as the client sends it; resolved to epoch ms once per request by the route's schema. */
export const TimeExpressionSchema = z
  .string()
  .refine((text) => parseTimeExpression(text, Date.now()) !== undefined, TIME_EXPRESSION_HINT)
  .describe('RFC 3339 with a zone, relative to now (-6h, -30m, -7d) or "now"');
