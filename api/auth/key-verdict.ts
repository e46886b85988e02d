import type { ApiKeyRecord } from '../keys/api-key.js';
import { secretMatches } from '../keys/key-secret.js';
import type { PresentedKey } from './bearer-header.js';

export type KeyRefusal = 'KEY_UNKNOWN' | 'KEY_EXPIRED' | 'KEY_REVOKED';

export type KeyVerdict =
  | { ok: true; record: ApiKeyRecord }
  | { ok: false; code: KeyRefusal; message: string };

export type KeyState = 'active' | 'expired' | 'revoked';

/** What a key is at a time, for listings and for counting the keys that still work. */
export function keyState(record: Pick<ApiKeyRecord, 'expiresAt' | 'revokedAt'>, nowMs: number): KeyState {
  if (record.revokedAt !== null) return 'revoked';
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= nowMs) return 'expired';
  return 'active';
}

/**
 * Whether a presented key opens its record. A wrong secret is KEY_UNKNOWN like a wrong id, so the
 * answer does not confirm that an id exists; only the holder of the right secret learns that
 * their key expired or was revoked.
 */
export function keyVerdict(
  record: ApiKeyRecord | undefined,
  presented: PresentedKey,
  nowMs: number,
): KeyVerdict {
  if (record === undefined || !secretMatches(presented.secret, record.digest)) {
    return { ok: false, code: 'KEY_UNKNOWN', message: 'this API key is not known' };
  }
  switch (keyState(record, nowMs)) {
    case 'revoked':
      return {
        ok: false,
        code: 'KEY_REVOKED',
        message: `API key ${record.id} was revoked at ${record.revokedAt}`,
      };
    case 'expired':
      return {
        ok: false,
        code: 'KEY_EXPIRED',
        message: `API key ${record.id} expired at ${record.expiresAt}`,
      };
    case 'active':
      return { ok: true, record };
  }
}
