import { describe, expect, it } from 'vitest';
import { BROKER_LIMIT_OPTIONS, brokerLimits } from '../../../cli/option-sets.js';
import { parseCommandLine, UsageError } from '../../../cli/options.js';

function limitsFrom(argv: string[], env: Record<string, string> = {}) {
  return brokerLimits(parseCommandLine(BROKER_LIMIT_OPTIONS, argv, env).values);
}

describe('broker limit options', () => {
  it('takes the account lock-out from flags and environment, the rest from the defaults', () => {
    expect(limitsFrom(['--max-password-failures', '3'], { FS_LOCKOUT_MS: '500' }).accountLockout).toEqual({
      afterFailures: 3,
      firstLockMs: 500,
      maxLockMs: 300_000,
    });
  });

  it('names the flag of a lock-out the schema refuses', () => {
    expect(() => limitsFrom(['--lockout-ms', '10000', '--max-lockout-ms', '5000'])).toThrow(UsageError);
    expect(() => limitsFrom(['--lockout-ms', '10000', '--max-lockout-ms', '5000'])).toThrow(
      /--max-lockout-ms/,
    );
    expect(() => limitsFrom([], { FS_MAX_PASSWORD_FAILURES: '0' })).toThrow(/--max-password-failures/);
  });
});
