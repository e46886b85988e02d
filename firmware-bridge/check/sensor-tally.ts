import { QcFlag, type QcFlagValue, type Reading } from '../../protocol/index.js';
import type { SensorConfig } from '../config/schema.js';

/** One sensor's line in a check report. */
export interface SensorCheck {
  sensor: string;
  driver: string;
  quantity: string;
  unit: string;
  samples: number;
  /** The last reading, calibrated, with its QC flag and time. */
  value?: number;
  qc?: QcFlagValue;
  time?: number;
  errors: number;
  lastError?: string;
  /** fail: no reading, an error, or a last value that failed QC; suspect: last value suspect. */
  status: 'ok' | 'suspect' | 'fail';
  problem?: string;
}

interface Tally {
  samples: number;
  last?: Reading;
  errors: number;
  lastError?: string;
}

/** What each sensor produced during a check, and the verdict on it. Pure. */
export class SensorTally {
  private readonly tallies = new Map<string, Tally>();

  constructor(private readonly sensors: readonly SensorConfig[]) {
    for (const sensor of sensors) this.tallies.set(sensor.id, { samples: 0, errors: 0 });
  }

  reading(reading: Reading): void {
    const tally = this.tallies.get(reading.sensor);
    if (tally === undefined) return;
    tally.samples += 1;
    tally.last = reading;
  }

  error(sensors: readonly string[], text: string): void {
    for (const sensor of sensors) {
      const tally = this.tallies.get(sensor);
      if (tally === undefined) continue;
      tally.errors += 1;
      tally.lastError = text;
    }
  }

  /** Whether every sensor has at least `samples` readings. */
  complete(samples: number): boolean {
    return [...this.tallies.values()].every((tally) => tally.samples >= samples);
  }

  report(timeoutMs: number): SensorCheck[] {
    return this.sensors.map((sensor) => {
      const tally = this.tallies.get(sensor.id) as Tally;
      const line: SensorCheck = {
        sensor: sensor.id,
        driver: sensor.driver.type,
        quantity: sensor.quantity,
        unit: sensor.unit,
        samples: tally.samples,
        errors: tally.errors,
        status: 'ok',
        ...(tally.last === undefined
          ? {}
          : { value: tally.last.value, qc: tally.last.qc, time: tally.last.time }),
        ...(tally.lastError === undefined ? {} : { lastError: tally.lastError }),
      };
      return { ...line, ...verdict(tally, timeoutMs) };
    });
  }
}

function verdict(tally: Tally, timeoutMs: number): Pick<SensorCheck, 'status' | 'problem'> {
  if (tally.samples === 0) {
    const seconds = Math.round(timeoutMs / 1000);
    return { status: 'fail', problem: tally.lastError ?? `no reading within ${seconds} s` };
  }
  if (tally.errors > 0)
    return { status: 'fail', problem: `${tally.errors} error(s), last: ${tally.lastError}` };
  if (tally.last?.qc === QcFlag.fail)
    return { status: 'fail', problem: 'last value failed QC (outside its range)' };
  if (tally.last?.qc === QcFlag.suspect) return { status: 'suspect', problem: 'last value suspect (QC)' };
  return { status: 'ok' };
}
