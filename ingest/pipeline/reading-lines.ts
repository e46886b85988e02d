import { encodePoint, type FieldValue, READING_FIELDS, READINGS_MEASUREMENT } from '../../influx/index.js';
import type { GatewayAddress, Reading } from '../../protocol/index.js';

/**
 * One reading as a `reading` point with a millisecond timestamp. The point depends only on the
 * reading and its origin, so a replayed reading lands on the same series and time and overwrites
 * itself: at-least-once delivery becomes exactly-once storage.
 */
export function readingLine(address: GatewayAddress, reading: Reading): string {
  const fields: Record<string, FieldValue> = {
    [READING_FIELDS.value]: { float: reading.value },
    [READING_FIELDS.qc]: { int: reading.qc },
  };
  if (reading.clock !== undefined) fields[READING_FIELDS.clock] = { str: reading.clock };
  return encodePoint({
    measurement: READINGS_MEASUREMENT,
    tags: {
      station: address.station,
      gateway: address.gateway,
      sensor: reading.sensor,
      quantity: reading.quantity,
      unit: reading.unit,
    },
    fields,
    timestamp: reading.time,
  });
}

/** Line protocol for a batch's readings, in their order; written with precision `ms`. */
export function readingLines(address: GatewayAddress, readings: readonly Reading[]): string[] {
  return readings.map((reading) => readingLine(address, reading));
}
