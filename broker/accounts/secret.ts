import { type BinaryLike, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import type { SecretHash } from './account-schema.js';

const SECRET_BYTES = 32;
const SALT_BYTES = 16;

/** Parameters for new hashes; existing records keep the ones they were made with. */
export const DEFAULT_SCRYPT_PARAMS = { N: 2 ** 14, r: 8, p: 1, keyLength: 32 } as const;
export type ScryptParams = Pick<SecretHash, 'N' | 'r' | 'p' | 'keyLength'>;

export function generateSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

function derive(secret: BinaryLike, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128*N*r bytes; node's default cap (32 MiB) would refuse raised parameters.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, params.keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashSecret(
  secret: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<SecretHash> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(secret, salt, params);
  return {
    algorithm: 'scrypt',
    N: params.N,
    r: params.r,
    p: params.p,
    keyLength: params.keyLength,
    salt: salt.toString('base64url'),
    hash: key.toString('base64url'),
  };
}

export async function verifySecret(secret: string | Buffer, stored: SecretHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64url');
  const key = await derive(secret, Buffer.from(stored.salt, 'base64url'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
