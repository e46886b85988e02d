import { describe, expect, it } from 'vitest';
import { GATEWAY_KINDS, RuleIdSchema, SUBSCRIPTIONS } from '../../../protocol/index.js';

describe('RuleIdSchema', () => {
  it('accepts slugs such as "cave-co2-high"', () => {
    expect(RuleIdSchema.parse('cave-co2-high')).toBe('cave-co2-high');
    expect(RuleIdSchema.parse('readings-high')).toBe('readings-high');
  });

  it('refuses the gateway kinds, whose alert topics would match the gateway subscriptions', () => {
    expect(SUBSCRIPTIONS.readings).toBe('fs/v1/+/+/readings');
    for (const kind of GATEWAY_KINDS) {
      const result = RuleIdSchema.safeParse(kind);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/must not be "readings", "status", "health"/);
    }
  });

  it('still refuses what is not a slug', () => {
    expect(RuleIdSchema.safeParse('Cave CO2').success).toBe(false);
  });
});
