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

/** One gateway's series keys by sensor, then quantity, then unit. */
type GatewaySeriesKeys = Map<string, Map<string, Map<string, string>>>;

/**
 * The series keys of recent readings (`reading,gateway=…,quantity=…,…`), by gateway (station and
 * gateway joined with a line break, which no valid id contains), then by the reading's own sensor,
 * quantity and unit strings: a gateway sends the same few series again and again, escaping and
 * sorting five tags took more of the ingest's time than any other step of a 50-reading batch, and
 * a lookup key joined per reading cost more than the lookups. Only keys that encoded without error
 * are kept.
 */
const seriesKeys = new Map<string, GatewaySeriesKeys>();
let keysKept = 0;

function gatewaySeriesKeys(address: GatewayAddress): GatewaySeriesKeys {
  const id = `${address.station}\n${address.gateway}`;
  let keys = seriesKeys.get(id);
  if (keys === undefined) {
    keys = new Map();
    seriesKeys.set(id, keys);
  }
  return keys;
}

function seriesKey(keys: GatewaySeriesKeys, address: GatewayAddress, reading: Reading): string {
  let byQuantity = keys.get(reading.sensor);
  if (byQuantity === undefined) {
    byQuantity = new Map();
    keys.set(reading.sensor, byQuantity);
  }
  let byUnit = byQuantity.get(reading.quantity);
  if (byUnit === undefined) {
    byUnit = new Map();
    byQuantity.set(reading.quantity, byUnit);
  }
  let key = byUnit.get(reading.unit);
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
    if (keysKept >= SERIES_KEYS_KEPT) {
      seriesKeys.clear();
      keysKept = 0;
    }
    byUnit.set(reading.unit, key);
    keysKept++;
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
  return lineOf(gatewaySeriesKeys(address), address, reading);
}

function lineOf(keys: GatewaySeriesKeys, address: GatewayAddress, reading: Reading): string {
  const { value, qc } = READING.fields;
  let fields = `${VALUE_KEY}${floatFieldValue(value, reading.value)},${QC_KEY}${intFieldValue(qc, reading.qc)}`;
  if (reading.clock !== undefined) fields += `,${CLOCK_KEY}${quoteStringField(reading.clock)}`;
  return `${seriesKey(keys, address, reading)} ${fields} ${reading.time}`;
}

/** Line protocol for a batch's readings, in their order; written with precision `ms`. */
export function readingLines(address: GatewayAddress, readings: readonly Reading[]): string[] {
  const keys = gatewaySeriesKeys(address);
  return readings.map((reading) => lineOf(keys, address, reading));
}
