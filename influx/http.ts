import { InfluxError } from './errors.js';

/** How long a request may take, or a streamed result may stay silent, unless the target says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Uncompressed answers. fetch asks for gzip by default, and InfluxDB obliges: on the loopback or a
 * LAN, where InfluxDB sits next to the API, compressing a year of readings costs the server and
 * decompressing costs the API more time than the smaller transfer saves.
 */
export const ACCEPT_ENCODING = 'identity';

export interface HttpTarget {
  url: string;
  /** A value for the Authorization header: `Basic …` for 1.x users, `Token …` for 2.x/3.x. */
  authorization?: string;
  timeoutMs?: number;
}

export function basicAuthorization(username?: string, password?: string): string | undefined {
  if (username === undefined) return undefined;
  return `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
}

/**
 * fetch with a timeout whose network failures become retryable InfluxErrors naming the server. The
 * timeout covers the whole exchange, body included, unless the caller brings its own `signal`.
 */
export async function influxFetch(
  target: HttpTarget,
  path: string,
  init: {
    method: 'GET' | 'POST';
    body?: string | Uint8Array;
    params: Record<string, string>;
    signal?: AbortSignal;
  },
): Promise<Response> {
  const url = new URL(path, target.url);
  for (const [key, value] of Object.entries(init.params)) url.searchParams.set(key, value);
  const headers: Record<string, string> = { 'accept-encoding': ACCEPT_ENCODING };
  if (target.authorization) headers.authorization = target.authorization;
  if (init.body !== undefined) headers['content-type'] = 'text/plain; charset=utf-8';
  try {
    return await fetch(url, {
      method: init.method,
      headers,
      body: init.body,
      signal: init.signal ?? AbortSignal.timeout(target.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    throw new InfluxError(
      'INFLUX_UNREACHABLE',
      `InfluxDB at ${target.url} is unreachable: ${(error as Error).message}`,
      true,
      undefined,
      { cause: error },
    );
  }
}
