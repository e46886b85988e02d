import { describe, expect, it } from 'vitest';
import { SILENCE_MAX_MS, silenceDurationMs, silenceEnd } from '../../../api/routes/alerts/silence-end.js';

const NOW = Date.UTC(2026, 10, 27, 8);

describe('silence durations', () => {
  it('reads minutes, hours and days', () => {
    expect(silenceDurationMs('30m')).toBe(1_800_000);
    expect(silenceDurationMs('2h')).toBe(7_200_000);
    expect(silenceDurationMs('7d')).toBe(604_800_000);
  });

  it('refuses zero, signs, fractions, seconds and units it does not know', () => {
    for (const text of ['0h', '-2h', '1.5h', '90s', '2 h', '2H', 'h', '', '2hh', '1w', '9999999d']) {
      expect(silenceDurationMs(text), text).toBeUndefined();
    }
  });
});

describe('silenceEnd', () => {
  it('ends a `for` silence that long after now', () => {
    expect(silenceEnd({ for: '2h' }, NOW)).toEqual({ ok: true, untilMs: NOW + 7_200_000 });
  });

  it('takes an `until` in the future up to the limit, to the millisecond', () => {
    expect(silenceEnd({ until: NOW + 1 }, NOW)).toEqual({ ok: true, untilMs: NOW + 1 });
    expect(silenceEnd({ until: NOW + SILENCE_MAX_MS }, NOW)).toEqual({
      ok: true,
      untilMs: NOW + SILENCE_MAX_MS,
    });
    expect(silenceEnd({ for: '30d' }, NOW)).toEqual({ ok: true, untilMs: NOW + SILENCE_MAX_MS });
  });

  it('refuses an `until` now or past, and one past the limit, naming the parameter', () => {
    expect(silenceEnd({ until: NOW }, NOW)).toEqual({
      ok: false,
      parameter: 'until',
      message: 'must be in the future',
    });
    expect(silenceEnd({ until: NOW + SILENCE_MAX_MS + 1 }, NOW)).toMatchObject({
      ok: false,
      parameter: 'until',
      message: expect.stringMatching(/at most 30 days/),
    });
    expect(silenceEnd({ for: '31d' }, NOW)).toMatchObject({ ok: false, parameter: 'for' });
    expect(silenceEnd({ for: '721h' }, NOW)).toMatchObject({ ok: false, parameter: 'for' });
    expect(silenceEnd({}, NOW)).toMatchObject({ ok: false });
  });
});
