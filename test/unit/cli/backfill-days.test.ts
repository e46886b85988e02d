import { describe, expect, it } from 'vitest';
import { backfillDays } from '../../../cli/commands/up.js';
import { UsageError } from '../../../cli/options.js';

const limits = { maxAgeDays: 400 };

describe('--backfill-days', () => {
  it('takes whole and fractional days, and 0 for none', () => {
    expect(backfillDays({ 'backfill-days': '7' }, limits)).toBe(7);
    expect(backfillDays({ 'backfill-days': '0.25' }, limits)).toBe(0.25);
    expect(backfillDays({ 'backfill-days': '0' }, limits)).toBe(0);
  });

  it.each(['-1', 'a week', '', '367'])('refuses "%s"', (text) => {
    expect(() => backfillDays({ 'backfill-days': text }, limits)).toThrow(UsageError);
  });

  it('refuses a history the ingest would quarantine as too old', () => {
    expect(() => backfillDays({ 'backfill-days': '30' }, { maxAgeDays: 30 })).toThrow(
      /reaches past --max-reading-age-days 30/,
    );
  });
});
