import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../../backoff/index.js';
import { DEFAULT_BACKOFF } from '../../../firmware-bridge/reconnect-backoff.js';

describe("a gateway's default back-off", () => {
  it('spreads reconnects of many gateways over the whole nominal delay, and stays under half a minute', () => {
    expect(backoffDelayMs(1, DEFAULT_BACKOFF, () => 0)).toBe(500);
    expect(backoffDelayMs(1, DEFAULT_BACKOFF, () => 0.999_999)).toBe(1500);
    expect(backoffDelayMs(100, DEFAULT_BACKOFF, () => 0)).toBe(15_000);
    expect(backoffDelayMs(100, DEFAULT_BACKOFF, () => 0.999_999)).toBe(30_000);
  });
});
