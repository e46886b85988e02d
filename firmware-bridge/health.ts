import type { ClockHealth, HealthInput, OutboxHealth, SensorHealth } from '../protocol/index.js';

const MAX_ERROR_TEXT = 500;

/**
 * Per-sensor counts, reported in every health message. `samples` counts readings accepted for the
 * outbox; `errors` counts faults of the sensor or its port, readings the contract refused among them
 * (each one lost), and `lastError` says which was last.
 */
export class SensorCounters {
  private readonly counters = new Map<string, SensorHealth>();

  constructor(sensorIds: readonly string[]) {
    for (const sensor of sensorIds) this.counters.set(sensor, { sensor, samples: 0, errors: 0 });
  }

  sample(sensor: string): void {
    const counter = this.counters.get(sensor);
    if (counter !== undefined) counter.samples += 1;
  }

  error(sensors: readonly string[], text: string): void {
    for (const sensor of sensors) {
      const counter = this.counters.get(sensor);
      if (counter === undefined) continue;
      counter.errors += 1;
      counter.lastError = text.slice(0, MAX_ERROR_TEXT);
    }
  }

  snapshot(): SensorHealth[] {
    return [...this.counters.values()].map((counter) => ({ ...counter }));
  }
}

export interface HealthParts {
  nowMs: number;
  startedAtMs: number;
  outbox: OutboxHealth;
  published: { messages: number; readings: number };
  sensors: SensorHealth[];
  clock: ClockHealth;
}

export function buildHealth(parts: HealthParts): HealthInput {
  return {
    v: 1,
    time: parts.nowMs,
    uptimeS: Math.max(0, (parts.nowMs - parts.startedAtMs) / 1000),
    outbox: parts.outbox,
    published: parts.published,
    sensors: parts.sensors,
    clock: parts.clock,
  };
}
