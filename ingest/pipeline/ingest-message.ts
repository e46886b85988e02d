import type { Logger } from 'pino';
import { InfluxError, type LineWriter } from '../../influx/index.js';
import type { GatewayAddress, Reading } from '../../protocol/index.js';
import type { AlertEngine } from '../alerts/alert-engine.js';
import { toAlertEvent } from '../alerts/alert-event.js';
import type { AlertPublisher } from '../alerts/alert-publisher.js';
import { quarantineLine } from '../quarantine/quarantine-point.js';
import {
  buildQuarantineRecord,
  type QuarantineCode,
  type QuarantineInput,
} from '../quarantine/quarantine-record.js';
import { UniqueNanoClock } from '../quarantine/unique-nanos.js';
import type { SequenceTracker } from '../sequence/sequence-tracker.js';
import { decodeMessage } from './decode-message.js';
import { readingLines } from './reading-lines.js';
import type { RetryPolicy } from './retry-delay.js';
import { StoreAbortedError, type StoreOptions, storeLines } from './store-batch.js';

export interface IngestCounters {
  messages: number;
  readingsWritten: number;
  quarantined: Partial<Record<QuarantineCode, number>>;
  /** Acknowledged without being stored: the quarantine record itself was refused for good. */
  lost: number;
  writeRetries: number;
  alertsFired: number;
}

export interface MessageIngestorOptions {
  writer: LineWriter;
  logger: Logger;
  retry: RetryPolicy;
  /** Aborted on stop: retries end and the message in hand stays unacknowledged. */
  signal: AbortSignal;
  sequences: SequenceTracker;
  alerts?: { engine: AlertEngine; publisher: AlertPublisher };
  now?: () => number;
}

function retryLogMessage(error: InfluxError): string {
  if (error.code === 'INFLUX_UNAUTHORIZED' || error.code === 'INFLUX_DATABASE_NOT_FOUND') {
    return 'InfluxDB write blocked until an operator fixes it; the message stays queued; retrying';
  }
  return 'InfluxDB write failed; retrying';
}

/**
 * The pipeline for one MQTT message: decode, store (or quarantine), track its sequence number, then
 * evaluate alerts. `ingest` resolves once the message may be acknowledged: its readings or its
 * quarantine record are in InfluxDB, or, in the one case where neither can be stored, the loss is
 * counted and logged. It rejects only when stopped first (StoreAbortedError).
 */
export class MessageIngestor {
  readonly counters: IngestCounters = {
    messages: 0,
    readingsWritten: 0,
    quarantined: {},
    lost: 0,
    writeRetries: 0,
    alertsFired: 0,
  };
  private readonly nanos = new UniqueNanoClock();

  constructor(private readonly options: MessageIngestorOptions) {}

  async ingest(topic: string, payload: Uint8Array): Promise<void> {
    const receivedAt = (this.options.now ?? Date.now)();
    this.counters.messages++;
    const decoded = decodeMessage(topic, payload);
    if (!decoded.ok) {
      const { code, reason, address } = decoded;
      await this.quarantine({ receivedAt, topic, payload, code, reason, ...(address ? { address } : {}) });
      return;
    }
    const { address, batch } = decoded;
    try {
      await storeLines(this.options.writer, readingLines(address, batch), 'ms', this.storeOptions(topic));
    } catch (error) {
      if (error instanceof StoreAbortedError) throw error;
      // Only the message's own fault ends up here (blocked writes are retried inside storeLines):
      // retrying a field type conflict would block the gateway's queue forever.
      const code = error instanceof InfluxError ? 'WRITE_REJECTED' : 'INGEST_FAILED';
      await this.quarantine({ receivedAt, topic, payload, code, reason: (error as Error).message, address });
      return;
    }
    this.counters.readingsWritten += batch.readings.length;
    const outcome = this.options.sequences.record(address, batch.seq);
    if (outcome === 'gap' || outcome === 'restart' || outcome === 'duplicate') {
      this.options.logger.info({ ...address, seq: batch.seq, outcome }, `sequence ${outcome}`);
    }
    this.evaluateAlerts(address, batch.readings);
  }

  private evaluateAlerts(address: GatewayAddress, readings: readonly Reading[]): void {
    if (this.options.alerts === undefined) return;
    const transitions = this.options.alerts.engine.evaluate(address, readings);
    this.counters.alertsFired += transitions.filter((transition) => transition.state === 'firing').length;
    this.options.alerts.publisher.enqueue(transitions.map(toAlertEvent));
  }

  private storeOptions(topic: string): StoreOptions {
    return {
      policy: this.options.retry,
      signal: this.options.signal,
      onRetry: ({ attempt, delayMs, error }) => {
        this.counters.writeRetries++;
        this.options.logger.error({ topic, attempt, delayMs, err: error }, retryLogMessage(error));
      },
    };
  }

  private async quarantine(input: QuarantineInput): Promise<void> {
    const record = buildQuarantineRecord(input);
    this.options.logger.warn(
      { code: record.code, topic: record.topic, reason: record.reason },
      'message quarantined',
    );
    const line = quarantineLine(record, this.nanos.next(record.receivedAt));
    try {
      await storeLines(this.options.writer, [line], 'ns', this.storeOptions(record.topic));
    } catch (error) {
      if (!(error instanceof InfluxError)) throw error;
      this.counters.lost++;
      this.options.logger.error(
        { code: record.code, topic: record.topic, reason: record.reason, err: error },
        'message LOST: InfluxDB refused its quarantine record too; it is acknowledged without being stored',
      );
      return;
    }
    this.counters.quarantined[record.code] = (this.counters.quarantined[record.code] ?? 0) + 1;
  }
}
