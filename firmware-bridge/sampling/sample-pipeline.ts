import { QcFlag, type QcFlagValue, type Reading } from '../../protocol/index.js';
import type { SensorConfig } from '../config/schema.js';
import { DerivedChannel } from '../drivers/derived/derived-channel.js';
import type { RawSample } from '../drivers/driver.js';
import { worstFlag } from '../qc/qartod-tests.js';
import { SensorQc } from '../qc/sensor-qc.js';
import { calibrate, checkReading } from './to-reading.js';

export interface SamplePipelineOptions {
  sensors: readonly SensorConfig[];
  /** Whether the gateway clock is known to be off right now. */
  clockUnsynced: () => boolean;
  emit(reading: Reading): void;
  /** A sample that cannot become a reading: counted and logged by the owner, never batched. */
  reject(sensor: string, reason: string): void;
}

interface Dependent {
  sensor: SensorConfig;
  channel: DerivedChannel;
}

/**
 * Raw samples to readings: calibration, the sensor's QARTOD tests, the clock mark and the contract
 * check, then the derived sensors that take the reading as an input, which pass the same steps.
 */
export class SamplePipeline {
  private readonly sensors: ReadonlyMap<string, SensorConfig>;
  private readonly qc = new Map<string, SensorQc>();
  private readonly dependents = new Map<string, Dependent[]>();

  constructor(private readonly options: SamplePipelineOptions) {
    this.sensors = new Map(options.sensors.map((sensor) => [sensor.id, sensor]));
    for (const sensor of options.sensors) {
      this.qc.set(sensor.id, new SensorQc(sensor));
      if (sensor.driver.type !== 'derived') continue;
      const channel = new DerivedChannel(sensor.driver, sensor.driver.maxSkewMs ?? sensor.intervalMs);
      for (const input of channel.inputSensors) {
        this.dependents.set(input, [...(this.dependents.get(input) ?? []), { sensor, channel }]);
      }
    }
  }

  accept(sample: RawSample): void {
    const sensor = this.sensors.get(sample.sensor);
    if (sensor === undefined || sensor.driver.type === 'derived') return;
    const reading = this.process(sensor, sample.value, sample.timeMs, QcFlag.notEvaluated);
    if (reading === undefined) return;
    for (const { sensor: derived, channel } of this.dependents.get(sensor.id) ?? []) {
      const result = channel.accept({
        sensor: sensor.id,
        value: reading.value,
        timeMs: reading.time,
        qc: reading.qc,
      });
      if (result !== undefined) this.process(derived, result.value, result.timeMs, result.inputQc);
    }
  }

  private process(
    sensor: SensorConfig,
    raw: number,
    timeMs: number,
    inputQc: QcFlagValue,
  ): Reading | undefined {
    const value = calibrate(raw, sensor.calibration);
    if (!Number.isFinite(value)) {
      const origin = sensor.driver.type === 'derived' ? 'the expression gave' : 'calibration gave';
      this.options.reject(sensor.id, `${origin} ${value}, not a finite number`);
      return undefined;
    }
    const draft: Reading = {
      sensor: sensor.id,
      quantity: sensor.quantity,
      unit: sensor.unit,
      value,
      time: Math.round(timeMs),
      qc: QcFlag.notEvaluated,
      ...(this.options.clockUnsynced() ? { clock: 'unsynced' as const } : {}),
    };
    const checked = checkReading(draft);
    if (!checked.ok) {
      this.options.reject(sensor.id, checked.reason);
      return undefined;
    }
    const qc = this.qc.get(sensor.id) as SensorQc;
    const reading = { ...checked.reading, qc: worstFlag([qc.flag(value, draft.time), inputQc]) };
    this.options.emit(reading);
    return reading;
  }
}
