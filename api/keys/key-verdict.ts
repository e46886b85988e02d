import type { PresentedKey } from '../auth/bearer-header.js';
import type { ApiKeyRecord } from './api-key.js';
import { secretMatches } from './key-secret.js';

export type KeyRefusal = 'KEY_UNKNOWN' | 'KEY_EXPIRED' | 'KEY_REVOKED';

export type KeyVerdict =
  | { ok: true; record: ApiKeyRecord }
  | { ok: false; code: KeyRefusal; message: string };

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
  if (record.revokedAt !== null) {
    return {
      ok: false,
      code: 'KEY_REVOKED',
      message: `API key ${record.id} was revoked at ${record.revokedAt}`,
    };
  }
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= nowMs) {
    return { ok: false, code: 'KEY_EXPIRED', message: `API key ${record.id} expired at ${record.expiresAt}` };
  }
  return { ok: true, record };
}
