import type { ClockHealth } from '../../protocol/index.js';
import type { TimeReference } from '../drivers/driver.js';
import type { ClockConfig } from './clock-config.js';

/** What the system says about NTP: synchronised, not, or nothing to ask (no systemd, no timedatectl). */
export type NtpState = 'synced' | 'unsynced' | 'unknown';

/** A GPS fix older than this no longer vouches for the clock. */
export const GPS_REFERENCE_MAX_AGE_MS = 5 * 60_000;
/** Before this the clock has certainly never been set: a Pi without RTC boots in 1970. */
const EARLIEST_PLAUSIBLE_MS = Date.UTC(2020, 0, 1);

export interface ClockEvidence {
  nowMs: number;
  ntp: NtpState;
  gps?: TimeReference;
}

function gpsJudgement(gps: TimeReference, maxOffsetMs: number): ClockHealth {
  const offsetMs = gps.receivedAtMs - gps.timeMs;
  return { state: Math.abs(offsetMs) <= maxOffsetMs ? 'synced' : 'unsynced', source: 'gps', offsetMs };
}

/** Judges the gateway clock from what the configured source offers. Pure. */
export function judgeClock(config: ClockConfig, evidence: ClockEvidence): ClockHealth {
  if (evidence.nowMs < EARLIEST_PLAUSIBLE_MS) return { state: 'unsynced' };
  if (config.source === 'none') return { state: 'unknown' };
  const gps =
    evidence.gps !== undefined && evidence.nowMs - evidence.gps.receivedAtMs <= GPS_REFERENCE_MAX_AGE_MS
      ? evidence.gps
      : undefined;
  if (config.source === 'gps')
    return gps === undefined ? { state: 'unknown' } : gpsJudgement(gps, config.maxOffsetMs);
  if (config.source === 'auto' && gps !== undefined) return gpsJudgement(gps, config.maxOffsetMs);
  return evidence.ntp === 'unknown' ? { state: 'unknown' } : { state: evidence.ntp, source: 'ntp' };
}
