import { describe, expect, it } from 'vitest';
import { ClockConfigSchema } from '../../../firmware-bridge/time/clock-config.js';
import { GPS_REFERENCE_MAX_AGE_MS, judgeClock } from '../../../firmware-bridge/time/clock-state.js';
import { readNtpState } from '../../../firmware-bridge/time/ntp-state.js';

const NOW = Date.UTC(2026, 10, 27, 8);
const config = (source: 'auto' | 'ntp' | 'gps' | 'none') => ClockConfigSchema.parse({ source });
const gps = (offsetMs: number, ageMs = 1000) => ({
  source: 'gps' as const,
  timeMs: NOW - ageMs - offsetMs,
  receivedAtMs: NOW - ageMs,
});

describe('judgeClock', () => {
  it('trusts NTP when asked, and says unknown when nothing can tell', () => {
    expect(judgeClock(config('ntp'), { nowMs: NOW, ntp: 'synced' })).toEqual({
      state: 'synced',
      source: 'ntp',
    });
    expect(judgeClock(config('ntp'), { nowMs: NOW, ntp: 'unsynced' })).toEqual({
      state: 'unsynced',
      source: 'ntp',
    });
    expect(judgeClock(config('auto'), { nowMs: NOW, ntp: 'unknown' })).toEqual({ state: 'unknown' });
    expect(judgeClock(config('none'), { nowMs: NOW, ntp: 'synced' })).toEqual({ state: 'unknown' });
  });

  it('measures the offset against a recent GPS fix and prefers it under auto', () => {
    expect(judgeClock(config('auto'), { nowMs: NOW, ntp: 'synced', gps: gps(350) })).toEqual({
      state: 'synced',
      source: 'gps',
      offsetMs: 350,
    });
    expect(judgeClock(config('gps'), { nowMs: NOW, ntp: 'synced', gps: gps(-5000) })).toMatchObject({
      state: 'unsynced',
      offsetMs: -5000,
    });
    const stale = gps(0, GPS_REFERENCE_MAX_AGE_MS + 1);
    expect(judgeClock(config('gps'), { nowMs: NOW, ntp: 'synced', gps: stale })).toEqual({
      state: 'unknown',
    });
    expect(judgeClock(config('auto'), { nowMs: NOW, ntp: 'synced', gps: stale })).toEqual({
      state: 'synced',
      source: 'ntp',
    });
  });

  it('calls a clock still in 1970 unsynchronised whatever the sources say', () => {
    expect(judgeClock(config('none'), { nowMs: 86_400_000, ntp: 'synced' })).toEqual({ state: 'unsynced' });
  });
});

describe('readNtpState', () => {
  it('reads timedatectl and treats a failing command as unknown', async () => {
    expect(await readNtpState(async () => 'yes\n')).toBe('synced');
    expect(await readNtpState(async () => 'no\n')).toBe('unsynced');
    expect(await readNtpState(async () => 'maybe')).toBe('unknown');
    expect(
      await readNtpState(async () => {
        throw new Error('spawn timedatectl ENOENT');
      }),
    ).toBe('unknown');
  });
});
