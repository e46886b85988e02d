import { QcFlag, type QcFlagValue } from '../../protocol/index.js';
import {
  flatLineFlag,
  grossRangeFlag,
  type PastValue,
  rateOfChangeFlag,
  spikeFlag,
  worstFlag,
} from './qartod-tests.js';
import type { QcConfig, ValueRange } from './qc-config.js';

export interface SensorQcConfig {
  /** The sensor span of the gross range test. */
  range?: ValueRange;
  qc?: QcConfig;
}

/**
 * The QARTOD tests of one sensor, with the short history they need. Readings outside the sensor
 * span stay out of the history, so one impossible value does not make the next good one look like a
 * jump; readings the other tests flag stay in, so after a genuine step the spike test settles on the
 * new level within two readings instead of failing everything after it.
 */
export class SensorQc {
  private readonly history: PastValue[] = [];
  private readonly keep: number;

  constructor(private readonly config: SensorQcConfig) {
    this.keep = Math.max(2, config.qc?.flatLine?.failCount ?? 0);
  }

  /** Flags a calibrated value sampled at timeMs and remembers it. */
  flag(value: number, timeMs: number): QcFlagValue {
    const { range, qc } = this.config;
    const gross = grossRangeFlag(value, range, qc?.suspectRange);
    const flags: QcFlagValue[] = [gross];
    const current = { value, timeMs };
    if (qc?.rateOfChange) flags.push(rateOfChangeFlag(current, this.history.at(-1), qc.rateOfChange));
    if (qc?.spike) flags.push(spikeFlag(value, this.history, qc.spike));
    if (qc?.flatLine) flags.push(flatLineFlag(value, this.history, qc.flatLine));
    const flag = worstFlag(flags);
    if (gross !== QcFlag.fail) this.remember(current);
    return flag;
  }

  private remember(value: PastValue): void {
    this.history.push(value);
    if (this.history.length > this.keep) this.history.shift();
  }
}
