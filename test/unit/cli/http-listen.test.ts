import { describe, expect, it } from 'vitest';
import { ApiConfigSchema } from '../../../api/config.js';
import { HTTP_OPTIONS, httpListen } from '../../../cli/option-sets.js';
import { parseCommandLine } from '../../../cli/options.js';

function listenFrom(argv: string[], env: Record<string, string> = {}) {
  return httpListen(parseCommandLine(HTTP_OPTIONS, argv, env).values);
}

describe('HTTP listen options', () => {
  it('trust no proxy unless told', () => {
    expect(listenFrom([])).toEqual({ host: '0.0.0.0', port: 8080, trustedProxies: [] });
  });

  it('read the trusted proxies as a comma-separated list from the flag or FS_HTTP_TRUSTED_PROXIES', () => {
    expect(listenFrom(['--trusted-proxies', '10.0.0.1, 10.1.0.0/16,']).trustedProxies).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
    ]);
    expect(listenFrom([], { FS_HTTP_TRUSTED_PROXIES: '::1' }).trustedProxies).toEqual(['::1']);
  });

  it('give the API config a proxy it refuses by name', () => {
    const parsed = ApiConfigSchema.safeParse({
      ...listenFrom(['--trusted-proxies', 'proxy.local']),
      influx: { url: 'http://127.0.0.1:8086' },
      mqtt: { url: 'mqtt://127.0.0.1:1883' },
      keysFile: '/tmp/keys.json',
    });
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['trustedProxies', 0],
      message: 'must be an IP address or CIDR range',
    });
  });
});
