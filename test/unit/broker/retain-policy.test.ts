import { describe, expect, it } from 'vitest';
import { retainForbidden } from '../../../broker/rights/retain-policy.js';

describe('retainForbidden', () => {
  it('follows the contract: readings and health are never retained, status and alerts may be', () => {
    expect(retainForbidden('fs/v1/jinfo/manual-1/readings')).toBe(true);
    expect(retainForbidden('fs/v1/jinfo/manual-1/health')).toBe(true);
    expect(retainForbidden('fs/v1/jinfo/manual-1/status')).toBe(false);
    expect(retainForbidden('fs/v1/alerts/jinfo/co2-high')).toBe(false);
  });

  it('does not judge topics outside the contract', () => {
    expect(retainForbidden('fs/v1/jinfo/manual-1/readings/extra')).toBe(false);
    expect(retainForbidden('other/jinfo/manual-1/readings')).toBe(false);
  });
});
