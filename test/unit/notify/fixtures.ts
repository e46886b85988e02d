import { parseSubscribers, type Subscribers } from '../../../notify/index.js';
import type { AlertEvent } from '../../../protocol/index.js';

export const T0 = Date.UTC(2026, 11, 4, 8, 0, 0);
export const MINUTE = 60_000;

export function event(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    v: 1,
    station: 'xuefeng',
    rule: 'conductor-icing',
    kind: 'threshold',
    state: 'firing',
    severity: 'critical',
    message: 'ice load 12 kg/m above 10',
    sensor: 'load-1',
    value: 12,
    unit: 'kg/m',
    op: 'above',
    threshold: 10,
    time: T0,
    since: T0,
    ...overrides,
  };
}

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export function subscribers(route: Record<string, unknown> = {}): Subscribers {
  return parseSubscribers(
    JSON.stringify({
      smtp: { host: 'smtp.example.org', from: 'alerts@example.org' },
      contacts: [
        { name: 'ana', email: 'ana@example.org' },
        {
          name: 'ben',
          email: 'ben@example.org',
          webhook: { url: 'https://hooks.example.org/ben', secret: SECRET },
        },
        { name: 'chief', email: 'chief@example.org' },
      ],
      routes: [{ name: 'oncall', chain: ['ana', 'ben', 'chief'], flapWindow: 5, ...route }],
    }),
    'subscribers.json',
  );
}
