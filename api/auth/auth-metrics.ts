import type { MetricFamily, MetricSource } from '../../metrics/index.js';

export const AUTH_FAILURES = [
  'KEY_MISSING',
  'KEY_MALFORMED',
  'KEY_UNKNOWN',
  'KEY_EXPIRED',
  'KEY_REVOKED',
] as const;
export type AuthFailure = (typeof AUTH_FAILURES)[number];
export const AUTH_REFUSALS = ['ROLE_FORBIDDEN', 'STATION_FORBIDDEN'] as const;
export type AuthRefusal = (typeof AUTH_REFUSALS)[number];

/** Counts what the key checks refused, so a dashboard shows guessing or a misconfigured client. */
export class AuthMetrics implements MetricSource {
  readonly #failures = new Map<AuthFailure, number>(AUTH_FAILURES.map((code) => [code, 0]));
  readonly #refusals = new Map<AuthRefusal, number>(AUTH_REFUSALS.map((code) => [code, 0]));
  #throttled = 0;

  constructor(private readonly blockedAddresses: () => number) {}

  failed(code: AuthFailure): void {
    this.#failures.set(code, (this.#failures.get(code) ?? 0) + 1);
  }

  refused(code: AuthRefusal): void {
    this.#refusals.set(code, (this.#refusals.get(code) ?? 0) + 1);
  }

  throttled(): void {
    this.#throttled += 1;
  }

  collect(): MetricFamily[] {
    return [
      {
        name: 'fieldstation_api_auth_failures_total',
        help: 'Requests refused with 401 because of their API key, by reason; all but KEY_MISSING count toward the throttle',
        type: 'counter',
        samples: [...this.#failures].map(([reason, value]) => ({ labels: { reason }, value })),
      },
      {
        name: 'fieldstation_api_auth_forbidden_total',
        help: 'Requests with a valid API key refused with 403, by reason',
        type: 'counter',
        samples: [...this.#refusals].map(([reason, value]) => ({ labels: { reason }, value })),
      },
      {
        name: 'fieldstation_api_auth_throttled_total',
        help: 'Requests refused with 429 because their address failed too many key checks',
        type: 'counter',
        samples: [{ value: this.#throttled }],
      },
      {
        name: 'fieldstation_api_auth_blocked_addresses',
        help: 'Client addresses blocked now after failed key checks',
        type: 'gauge',
        samples: [{ value: this.blockedAddresses() }],
      },
    ];
  }
}
