import { QcFlag } from '../../../protocol/index.js';
import type { SourcedReading } from './kind.js';

export interface Target {
  sensor?: string | undefined;
  quantity?: string | undefined;
  unit?: string | undefined;
}

// QARTOD fail and missing values are not measurements; alerting on them would page people for faults.
const IGNORED_QC: ReadonlySet<number> = new Set([QcFlag.fail, QcFlag.missing]);

/** Whether a reading of `station` is one a rule's target (sensor or quantity, unit) looks at. */
export function matchesTarget(
  station: string,
  target: Target,
  { address, reading }: SourcedReading,
): boolean {
  if (station !== address.station || IGNORED_QC.has(reading.qc)) return false;
  if (target.unit !== undefined && target.unit !== reading.unit) return false;
  return target.sensor !== undefined
    ? target.sensor === reading.sensor
    : target.quantity === reading.quantity;
}

/** How a rule state names one sensor: sensor ids are unique only within their gateway. */
export function sensorKey(gateway: string, sensor: string): string {
  return `${gateway}/${sensor}`;
}

export function crosses(op: 'above' | 'below', limit: number, value: number): boolean {
  return op === 'above' ? value > limit : value < limit;
}

/** Back past clearAt: an `above` condition clears below it, a `below` one above it. */
export function clears(op: 'above' | 'below', clearAt: number, value: number): boolean {
  return op === 'above' ? value < clearAt : value > clearAt;
}
