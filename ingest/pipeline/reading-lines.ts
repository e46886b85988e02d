import {
  encodeSeriesKey,
  escapeKey,
  floatFieldValue,
  intFieldValue,
  quoteStringField,
  READING,
} from '../../influx/index.js';
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
 * The field keys, escaped once: the field set is written by hand, in the order encodeFieldSet would
 * write it (value, qc, clock), since building a record and escaping its keys for every reading cost
 * more than anything else in the line.
 */
const VALUE_KEY = `${escapeKey(READING.fields.value)}=`;
const QC_KEY = `${escapeKey(READING.fields.qc)}=`;
const CLOCK_KEY = `${escapeKey(READING.fields.clock)}=`;

/**
 * One reading as a `reading` point with a millisecond timestamp. The point depends only on the
 * reading and its origin, so a replayed reading lands on the same series and time and overwrites
 * itself: at-least-once delivery becomes exactly-once storage.
 */
export function readingLine(address: GatewayAddress, reading: Reading): string {
  const { value, qc } = READING.fields;
  let fields = `${VALUE_KEY}${floatFieldValue(value, reading.value)},${QC_KEY}${intFieldValue(qc, reading.qc)}`;
  if (reading.clock !== undefined) fields += `,${CLOCK_KEY}${quoteStringField(reading.clock)}`;
  return `${seriesKey(address, reading)} ${fields} ${reading.time}`;
}

/** Line protocol for a batch's readings, in their order; written with precision `ms`. */
export function readingLines(address: GatewayAddress, readings: readonly Reading[]): string[] {
  return readings.map((reading) => readingLine(address, reading));
}
