import type { Reading } from '../../protocol/index.js';
import type { SensorConfig } from '../config/schema.js';
import type { RawSample } from '../drivers/driver.js';
import { SamplePipeline } from '../sampling/sample-pipeline.js';

/** A sample that could not become a reading, as the gateway would have logged it. */
export interface RejectedSample {
  sensor: string;
  reason: string;
}

/**
 * Readings as the gateway makes them from raw samples: the same SamplePipeline, so calibration,
 * the QARTOD flags and the derived channels (dew point, discharge, ice thickness) come out exactly
 * as they do live. The clock counts as synchronised: the backfill's times are exact by construction.
 */
export function* historyReadings(
  sensors: readonly SensorConfig[],
  samples: Iterable<RawSample>,
  onReject: (rejected: RejectedSample) => void = () => undefined,
): Generator<Reading> {
  let ready: Reading[] = [];
  const pipeline = new SamplePipeline({
    sensors,
    clockUnsynced: () => false,
    emit: (reading) => ready.push(reading),
    reject: (sensor, reason) => onReject({ sensor, reason }),
  });
  for (const sample of samples) {
    pipeline.accept(sample);
    if (ready.length === 0) continue;
    const out = ready;
    ready = [];
    yield* out;
  }
}
