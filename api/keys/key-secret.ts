import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord } from './api-key.js';

const ID_BYTES = 6;
const SECRET_BYTES = 32;

export interface NewKey {
  id: string;
  /** `fsk_<id>_<secret>`, what the holder sends. */
  key: string;
  digest: ApiKeyRecord['digest'];
}

function sha256(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A fresh key: the prefix makes it recognisable to secret scanners, the id finds its record. */
export function generateKey(): NewKey {
  const id = randomBytes(ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return {
    id,
    key: `fsk_${id}_${secret}`,
    digest: { algorithm: 'sha256', hash: sha256(secret).toString('base64url') },
  };
}

/** Compares in constant time, so the answer's timing tells nothing about how much of a secret was right. */
export function secretMatches(secret: string, digest: ApiKeyRecord['digest']): boolean {
  const expected = Buffer.from(digest.hash, 'base64url');
  const actual = sha256(secret);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
