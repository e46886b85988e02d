import type { z } from 'zod';
import {
  EARLIEST_SAMPLE_MS,
  LATEST_SAMPLE_MS,
  MAX_PAYLOAD_BYTES,
  MAX_READINGS_PER_BATCH,
  QcFlag,
  QuantitySchema,
  READINGS_VERSION,
  type Reading,
  ReadingSchema,
  type ReadingsBatch,
  SensorIdSchema,
  UnitSchema,
} from '../../protocol/index.js';

/** Distinct accepted strings kept per field; past it the set starts afresh. */
const KNOWN_KEPT = 10_000;

/**
 * Strings of one field that the contract's own schema accepted: a station sends the same few dozen
 * sensor ids, quantities and units again and again, so each is checked by zod once.
 */
class AcceptedStrings {
  private readonly accepted = new Set<string>();

  constructor(private readonly schema: z.ZodType) {}

  has(value: unknown): value is string {
    if (typeof value !== 'string') return false;
    if (this.accepted.has(value)) return true;
    if (!this.schema.safeParse(value).success) return false;
    if (this.accepted.size >= KNOWN_KEPT) this.accepted.clear();
    this.accepted.add(value);
    return true;
  }
}

const sensors = new AcceptedStrings(SensorIdSchema);
const quantities = new AcceptedStrings(QuantitySchema);
const units = new AcceptedStrings(UnitSchema);
const clocks = new AcceptedStrings(ReadingSchema.shape.clock.unwrap());

const QC_FLAGS = new Set<unknown>(Object.values(QcFlag));
// Written out, not read from the schemas: a field the contract gains is then unknown here, and its
// messages go to the schema until this path checks it too (a unit test compares the lists).
export const BATCH_KEYS: ReadonlySet<string> = new Set(['v', 'seq', 'readings']);
export const READING_KEYS: ReadonlySet<string> = new Set([
  'sensor',
  'quantity',
  'unit',
  'value',
  'time',
  'qc',
  'clock',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(record: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in record) if (!allowed.has(key)) return false;
  return true;
}

/** A reading in epoch ms with every field as the schema would leave it; `qc` filled in when absent. */
function plainReading(reading: unknown): reading is Reading {
  if (!isRecord(reading) || !onlyKeys(reading, READING_KEYS)) return false;
  const { value, time, qc, clock } = reading;
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (
    !Number.isSafeInteger(time) ||
    (time as number) < EARLIEST_SAMPLE_MS ||
    (time as number) > LATEST_SAMPLE_MS
  )
    return false;
  if (qc !== undefined && !QC_FLAGS.has(qc)) return false;
  if (clock !== undefined && !clocks.has(clock)) return false;
  if (!sensors.has(reading.sensor) || !quantities.has(reading.quantity) || !units.has(reading.unit))
    return false;
  if (qc === undefined) reading.qc = QcFlag.notEvaluated;
  return true;
}

/**
 * The common shape of a readings batch recognised without running its zod schema: version 1, a
 * valid seq, and readings with epoch-ms times and only the contract's fields. Returns the batch as
 * ReadingsBatchSchema would parse it, or undefined for anything else (a time as text, a field the
 * contract does not know, any invalid value, a payload that is not JSON), which the caller then
 * decodes with the schema: zod stays the judge of every message refused and of every reason given,
 * and sensor ids, quantities and units are checked by their own schemas (once per distinct string).
 * A property test holds this path to the schema's output. The parsed value is used as it is (with
 * `qc` filled in), so a common message costs one JSON.parse and no copies.
 */
export function plainReadingsBatch(payload: Uint8Array): ReadingsBatch | undefined {
  if (payload.byteLength > MAX_PAYLOAD_BYTES) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(json) || !onlyKeys(json, BATCH_KEYS) || json.v !== READINGS_VERSION) return undefined;
  const { seq, readings } = json;
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) return undefined;
  if (!Array.isArray(readings) || readings.length === 0 || readings.length > MAX_READINGS_PER_BATCH)
    return undefined;
  for (const reading of readings) if (!plainReading(reading)) return undefined;
  // Every field was checked above, in the schema's terms; its depth is 3, well within MAX_JSON_DEPTH.
  return json as ReadingsBatch;
}
