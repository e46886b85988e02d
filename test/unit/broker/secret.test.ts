import { describe, expect, it } from 'vitest';
import { generateSecret, hashSecret, verifySecret } from '../../../broker/accounts/secret.js';

const FAST = { N: 1024, r: 8, p: 1, keyLength: 32 };

describe('secrets', () => {
  it('generates 32 random bytes as base64url', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateSecret()).not.toBe(secret);
  });

  it('verifies the right secret, as string or bytes, and refuses others', async () => {
    const secret = generateSecret();
    const stored = await hashSecret(secret, FAST);
    expect(stored).toMatchObject({ algorithm: 'scrypt', N: 1024, r: 8, p: 1, keyLength: 32 });
    expect(Buffer.from(stored.salt, 'base64url')).toHaveLength(16);
    expect(await verifySecret(secret, stored)).toBe(true);
    expect(await verifySecret(Buffer.from(secret), stored)).toBe(true);
    expect(await verifySecret(`${secret}x`, stored)).toBe(false);
    expect(await verifySecret('', stored)).toBe(false);
  });

  it('salts every hash and verifies with the parameters stored in the record', async () => {
    const secret = generateSecret();
    const a = await hashSecret(secret, FAST);
    const b = await hashSecret(secret, { ...FAST, N: 2048 });
    expect(a.hash).not.toBe(b.hash);
    expect(await verifySecret(secret, b)).toBe(true);
  });
});
