import { MAX_PAYLOAD_BYTES, MAX_READINGS_PER_BATCH, type Reading } from '../../protocol/index.js';

export interface BatchLimits {
  /** Readings per message, at most MAX_READINGS_PER_BATCH. */
  maxReadings: number;
  /** Payload bytes per message, at most MAX_PAYLOAD_BYTES. */
  maxBytes: number;
}

/**
 * Large messages: a week is half a million readings, and what costs along the way (outbox fsync,
 * the broker's store, the ingest's spool) is per message. 2,000 readings are about 220 KB, well
 * inside the contract's 1 MB.
 */
export const HISTORY_BATCH_LIMITS: BatchLimits = { maxReadings: 2000, maxBytes: 512 * 1024 };

// `{"v":1,"seq":9007199254740991,"readings":[]}` plus a comma per reading, rounded up.
const ENVELOPE_BYTES = 64;

/**
 * Cuts readings into readings messages in their order: a batch closes when it holds `maxReadings`
 * or when the next reading would take its payload past `maxBytes`. Pure.
 */
export function* historyBatches(readings: Iterable<Reading>, limits: BatchLimits): Generator<Reading[]> {
  const maxReadings = Math.min(limits.maxReadings, MAX_READINGS_PER_BATCH);
  const maxBytes = Math.min(limits.maxBytes, MAX_PAYLOAD_BYTES) - ENVELOPE_BYTES;
  let batch: Reading[] = [];
  let bytes = 0;
  for (const reading of readings) {
    const size = Buffer.byteLength(JSON.stringify(reading)) + 1;
    if (batch.length > 0 && (batch.length >= maxReadings || bytes + size > maxBytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(reading);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
