import { encodeFieldSet, encodeSeriesKey, type FieldValue, READING } from '../../influx/index.js';
import type { GatewayAddress, Reading } from '../../protocol/index.js';

/** Distinct series whose escaped key is kept; past it the cache starts afresh. */
const SERIES_KEYS_KEPT = 10_000;

/**
 * The series keys of recent readings (`reading,gateway=…,quantity=…,…`): a gateway sends the same
 * few series again and again, and escaping and sorting five tags took more of the ingest's time
 * than any other step of a 50-reading batch. Only keys that encoded without error are kept. The
 * parts are joined with a line break, which no valid part contains, so two series cannot share an
 * entry.
 */
const seriesKeys = new Map<string, string>();

function seriesKey(address: GatewayAddress, reading: Reading): string {
  const id = `${address.station}\n${address.gateway}\n${reading.sensor}\n${reading.quantity}\n${reading.unit}`;
  let key = seriesKeys.get(id);
  if (key === undefined) {
    key = encodeSeriesKey({
      measurement: READING.name,
      tags: {
        [READING.tags.station]: address.station,
        [READING.tags.gateway]: address.gateway,
        [READING.tags.sensor]: reading.sensor,
        [READING.tags.quantity]: reading.quantity,
        [READING.tags.unit]: reading.unit,
      },
    });
    if (seriesKeys.size >= SERIES_KEYS_KEPT) seriesKeys.clear();
    seriesKeys.set(id, key);
  }
  return key;
}

/**
 * One reading as a `reading` point with a millisecond timestamp. The point depends only on the
 * reading and its origin, so a replayed reading lands on the same series and time and overwrites
 * itself: at-least-once delivery becomes exactly-once storage.
 */
export function readingLine(address: GatewayAddress, reading: Reading): string {
  const fields: Record<string, FieldValue> = {
    [READING.fields.value]: { float: reading.value },
    [READING.fields.qc]: { int: reading.qc },
  };
  if (reading.clock !== undefined) fields[READING.fields.clock] = { str: reading.clock };
  return `${seriesKey(address, reading)} ${encodeFieldSet(READING.name, fields)} ${reading.time}`;
}

/** Line protocol for a batch's readings, in their order; written with precision `ms`. */
export function readingLines(address: GatewayAddress, readings: readonly Reading[]): string[] {
  return readings.map((reading) => readingLine(address, reading));
}
