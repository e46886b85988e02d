import { describe, expect, it } from 'vitest';
import { TrustedProxiesSchema } from '../../../api/config.js';

describe('TrustedProxiesSchema', () => {
  it('takes addresses and CIDR ranges of both families, and none by default', () => {
    const proxies = ['10.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8'];
    expect(TrustedProxiesSchema.parse(proxies)).toEqual(proxies);
    expect(TrustedProxiesSchema.parse(undefined)).toEqual([]);
  });

  it('refuses a name or a range it cannot read, before the server starts', () => {
    for (const wrong of ['proxy.local', '10.0.0.0/33', 'loopback', '']) {
      const result = TrustedProxiesSchema.safeParse([wrong]);
      expect(result.success, wrong).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('must be an IP address or CIDR range');
    }
  });
});
