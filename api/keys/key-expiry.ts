const RELATIVE = /^(\d{1,5})([hdw])$/;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export type ExpiryVerdict = { ok: true; expiresAt: string } | { ok: false; message: string };

/** `--expires`: an RFC 3339 time with a zone, or a span from now such as 12h, 30d or 8w; in the future. */
export function parseExpiry(text: string, nowMs: number): ExpiryVerdict {
  const relative = RELATIVE.exec(text.trim());
  const [, amount, unit] = relative ?? [];
  const atMs =
    amount !== undefined && unit !== undefined
      ? nowMs + Number(amount) * (UNIT_MS[unit] ?? 0)
      : /(Z|[+-]\d\d:\d\d)$/i.test(text) && /^\d{4}-\d\d-\d\dT/.test(text)
        ? Date.parse(text)
        : Number.NaN;
  if (Number.isNaN(atMs)) {
    return { ok: false, message: `"${text}" is neither an RFC 3339 time with a zone nor a span like 30d` };
  }
  if (atMs <= nowMs) return { ok: false, message: `"${text}" is not in the future` };
  return { ok: true, expiresAt: new Date(atMs).toISOString() };
}
