/** The parts of a key as sent in `Authorization: Bearer fsk_<id>_<secret>`. */
export interface PresentedKey {
  id: string;
  secret: string;
}

export type BearerVerdict =
  | { ok: true; key: PresentedKey }
  | { ok: false; code: 'KEY_MISSING' | 'KEY_MALFORMED'; message: string };

/** A key id is 12 hex digits and its secret 32 random bytes in base64url, so `_` can only separate the id. */
export const KEY_PATTERN = /^fsk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const MALFORMED = 'the Authorization header must be "Bearer fsk_<id>_<secret>", an API key';

/**
 * Reads an `Authorization` header (RFC 6750 §2.1): the scheme is case-insensitive, the token is
 * exactly one key. Anything else is refused before a key is looked up.
 */
export function parseBearer(header: string | undefined): BearerVerdict {
  if (header === undefined || header.trim() === '') {
    return {
      ok: false,
      code: 'KEY_MISSING',
      message: 'this route needs an API key: send "Authorization: Bearer <key>"',
    };
  }
  const match = /^bearer +(\S+) *$/i.exec(header);
  const token = match?.[1];
  const parts = token === undefined ? null : KEY_PATTERN.exec(token);
  const [, id, secret] = parts ?? [];
  if (id === undefined || secret === undefined)
    return { ok: false, code: 'KEY_MALFORMED', message: MALFORMED };
  return { ok: true, key: { id, secret } };
}
