import { QcFlag, type QcFlagValue } from '../../protocol/index.js';
import type { QcConfig, ValueRange } from './qc-config.js';

/** A good reading kept as history for the tests that compare with the past. */
export interface PastValue {
  value: number;
  timeMs: number;
}

const inside = (value: number, range: ValueRange): boolean => value >= range.min && value <= range.max;

/** Gross range test: fail outside the sensor span, suspect outside the user span. */
export function grossRangeFlag(value: number, sensorSpan?: ValueRange, userSpan?: ValueRange): QcFlagValue {
  if (sensorSpan !== undefined && !inside(value, sensorSpan)) return QcFlag.fail;
  if (userSpan !== undefined && !inside(value, userSpan)) return QcFlag.suspect;
  return sensorSpan === undefined && userSpan === undefined ? QcFlag.notEvaluated : QcFlag.pass;
}

/** Rate of change test against the previous good reading; not evaluated without one or without elapsed time. */
export function rateOfChangeFlag(
  current: PastValue,
  previous: PastValue | undefined,
  config: NonNullable<QcConfig['rateOfChange']>,
): QcFlagValue {
  if (previous === undefined || current.timeMs <= previous.timeMs) return QcFlag.notEvaluated;
  const perSecond = Math.abs(current.value - previous.value) / ((current.timeMs - previous.timeMs) / 1000);
  return perSecond > config.maxPerSecond ? QcFlag.suspect : QcFlag.pass;
}

/** Spike test, causal: distance from the mean of the two good readings before this one. */
export function spikeFlag(
  value: number,
  history: readonly PastValue[],
  config: NonNullable<QcConfig['spike']>,
): QcFlagValue {
  if (history.length < 2) return QcFlag.notEvaluated;
  const [a, b] = history.slice(-2) as [PastValue, PastValue];
  const distance = Math.abs(value - (a.value + b.value) / 2);
  if (distance > config.fail) return QcFlag.fail;
  return distance > config.suspect ? QcFlag.suspect : QcFlag.pass;
}

/** Flat line test: how many readings, this one included, stay within tolerance of it. */
export function flatLineFlag(
  value: number,
  history: readonly PastValue[],
  config: NonNullable<QcConfig['flatLine']>,
): QcFlagValue {
  if (history.length < config.suspectCount - 1) return QcFlag.notEvaluated;
  let run = 1;
  for (let index = history.length - 1; index >= 0 && run < config.failCount; index -= 1) {
    if (Math.abs((history[index] as PastValue).value - value) > config.tolerance) break;
    run += 1;
  }
  if (run >= config.failCount) return QcFlag.fail;
  return run >= config.suspectCount ? QcFlag.suspect : QcFlag.pass;
}

const SEVERITY: Record<QcFlagValue, number> = {
  [QcFlag.notEvaluated]: 0,
  [QcFlag.pass]: 1,
  [QcFlag.suspect]: 2,
  [QcFlag.fail]: 3,
  [QcFlag.missing]: 4,
};

/** The aggregate QARTOD flag: the worst of the evaluated tests; not evaluated when none could run. */
export function worstFlag(flags: readonly QcFlagValue[]): QcFlagValue {
  let worst: QcFlagValue = QcFlag.notEvaluated;
  for (const flag of flags) if (SEVERITY[flag] > SEVERITY[worst]) worst = flag;
  return worst;
}
