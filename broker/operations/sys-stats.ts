import type { BrokerSnapshot } from './broker-families.js';

/** Beside Aedes' own `$SYS/<id>/heartbeat` and `$SYS/<id>/new/clients`. */
export function sysStatsTopic(brokerId: string): string {
  return `$SYS/${brokerId}/stats`;
}

/** The JSON operators read from `$SYS/<id>/stats`: the stats fields, the rates and the retained count. */
export function sysStatsPayload(brokerId: string, snapshot: BrokerSnapshot, atMs: number): string {
  return JSON.stringify({
    brokerId,
    time: new Date(atMs).toISOString(),
    ...snapshot.stats,
    ...snapshot.rates,
    ...(snapshot.retained === undefined ? {} : { retained: snapshot.retained }),
  });
}
