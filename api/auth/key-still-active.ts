import type { ApiKeyRecord } from '../keys/api-key.js';
import type { ApiKeyStore } from '../keys/key-store.js';
import { keyState } from './key-verdict.js';

/**
 * Whether the key a long-lived response (the alert stream) was opened with would still be let in:
 * the hook checks a key once per request, so a stream must ask again or a key revoked, expired or
 * removed after it opened would keep receiving for as long as the connection lasts. A keys file
 * that cannot be read answers no, as it does for every other request.
 */
export async function keyStillActive(
  keys: ApiKeyStore,
  opened: Pick<ApiKeyRecord, 'id'>,
  nowMs: number,
): Promise<boolean> {
  try {
    const record = await keys.find(opened.id);
    return record !== undefined && keyState(record, nowMs) === 'active';
  } catch {
    return false;
  }
}
