import type { Logger } from 'pino';
import { InfluxError, type LineWriter } from '../../influx/index.js';
import { type GatewayAddress, parseGatewayTopic, type Reading } from '../../protocol/index.js';
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
import { decodeMessage, type GatewayMessage } from './decode-message.js';
import { dispatchMessage, type MessageHandlers } from './dispatch-message.js';
import { healthLines } from './health-lines.js';
import { collapseConflicts, type ReadingConflict } from './reading-conflicts.js';
import { readingLines } from './reading-lines.js';
import type { RetryPolicy } from './retry-delay.js';
import { StoreAbortedError, type StoreOptions, storeLines } from './store-batch.js';

export interface IngestCounters {
  messages: number;
  readingsWritten: number;
  /** Readings replaced by a later reading of the same point in the same batch: received, not stored. */
  readingConflicts: number;
  /** Health messages stored in `gateway_health` and `sensor_health`. */
  healthWritten: number;
  /** Valid status messages: checked against the contract, nothing stored (the API reads them live). */
  statusAccepted: number;
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
  /** Called whenever handling the message in hand moves on without finishing (a write retried). */
  onProgress?: () => void;
  now?: () => number;
}

type Refusal = Pick<QuarantineInput, 'code' | 'reason' | 'address'>;

/** Conflicts quoted in the log line of one batch; the count says how many there were in all. */
const CONFLICTS_LOGGED = 5;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function retryLogMessage(error: InfluxError): string {
  if (error.code === 'INFLUX_UNAUTHORIZED' || error.code === 'INFLUX_DATABASE_NOT_FOUND') {
    return 'InfluxDB write blocked until an operator fixes it; the message stays queued; retrying';
  }
  return 'InfluxDB write failed; retrying';
}

/** One message as the consumer hands it over. */
export interface IncomingMessage {
  topic: string;
  payload: Uint8Array;
  /** The broker's retain flag on delivery: set when the message was retained before we subscribed. */
  retained: boolean;
  /**
   * Set when this very message was in hand when the consumer's watchdog found it stalled and restarted:
   * handling it again would stall again, so it goes straight to quarantine.
   */
  stalledBefore?: boolean;
}

/** The message being handled, with what a quarantine record needs should it be refused. */
type InHand = IncomingMessage & { receivedAt: number };

export function emptyCounters(): IngestCounters {
  return {
    messages: 0,
    readingsWritten: 0,
    readingConflicts: 0,
    healthWritten: 0,
    statusAccepted: 0,
    quarantined: {},
    lost: 0,
    writeRetries: 0,
    alertsFired: 0,
  };
}

/**
 * The pipeline for one MQTT message: decode, then by topic kind: readings are stored, their sequence
 * number tracked and alerts evaluated; health is stored; status is only validated. Anything invalid
 * or refused for good is quarantined. `ingest` resolves once the message may be acknowledged: its
 * points or its quarantine record are in InfluxDB, or, in the one case where neither can be stored,
 * the loss is counted and logged. It rejects only when stopped first (StoreAbortedError).
 */
export class MessageIngestor {
  readonly counters: IngestCounters = emptyCounters();
  private readonly nanos = new UniqueNanoClock();
  private readonly handlers: MessageHandlers<InHand> = {
    readings: (readings, inHand) => this.ingestReadings(readings, inHand),
    // Health is QoS 0: a write that keeps failing is retried while the ingest runs, like readings,
    // but on stop the message is simply gone (the broker never queues QoS 0 for redelivery).
    health: (health, inHand) => this.ingestHealth(health, inHand),
    // Status is read live by the API from the retained message; the ingest only checks the contract.
    status: async () => {
      this.counters.statusAccepted++;
    },
  };

  constructor(private readonly options: MessageIngestorOptions) {}

  /**
   * Never rejects but for a stop (StoreAbortedError): whatever goes wrong with one message ends with
   * that message quarantined (or, should even that fail, counted as lost) and acknowledged, so no
   * message can hold up the queue behind it.
   */
  async ingest(message: IncomingMessage): Promise<void> {
    const inHand: InHand = { ...message, receivedAt: (this.options.now ?? Date.now)() };
    this.counters.messages++;
    if (message.stalledBefore === true) {
      const reason = 'handling this message stalled the consumer once; it was not tried again';
      await this.quarantine(inHand, { code: 'INGEST_STALLED', reason });
      return;
    }
    try {
      await this.handle(inHand);
    } catch (error) {
      if (error instanceof StoreAbortedError) throw error;
      this.options.logger.error({ topic: message.topic, err: error }, 'handling a message failed');
      const parsed = parseGatewayTopic(message.topic);
      const address =
        parsed === undefined ? {} : { address: { station: parsed.station, gateway: parsed.gateway } };
      await this.quarantine(inHand, {
        code: 'INGEST_FAILED',
        reason: `handling failed: ${describe(error)}`,
        ...address,
      });
    }
  }

  private async handle(inHand: InHand): Promise<void> {
    const decoded = decodeMessage(inHand.topic, inHand.payload);
    if (!decoded.ok) {
      const { code, reason, address } = decoded;
      await this.quarantine(inHand, { code, reason, ...(address ? { address } : {}) });
      return;
    }
    await dispatchMessage(this.handlers, decoded, inHand);
  }

  private async ingestReadings({ address, body }: GatewayMessage<'readings'>, inHand: InHand): Promise<void> {
    const { kept, conflicts } = collapseConflicts(body.readings);
    if (!(await this.store(inHand, address, () => readingLines(address, kept)))) return;
    this.counters.readingsWritten += kept.length;
    const outcome = this.options.sequences.record(address, body.seq);
    if (outcome === 'gap' || outcome === 'restart' || outcome === 'duplicate') {
      this.options.logger.info({ ...address, seq: body.seq, outcome }, `sequence ${outcome}`);
    }
    if (conflicts.length > 0) this.reportConflicts(address, body.seq, conflicts);
    try {
      this.evaluateAlerts(address, kept);
    } catch (error) {
      this.options.logger.error({ ...address, seq: body.seq, err: error }, 'alert evaluation failed');
      const reason = `readings stored; alert evaluation failed: ${describe(error)}`;
      await this.quarantine(inHand, { code: 'ALERTS_FAILED', reason, address });
    }
  }

  private reportConflicts(address: GatewayAddress, seq: number, conflicts: readonly ReadingConflict[]): void {
    this.counters.readingConflicts += conflicts.length;
    this.options.sequences.recordConflicts(address, conflicts.length);
    this.options.logger.warn(
      { ...address, seq, conflicts: conflicts.length, first: conflicts.slice(0, CONFLICTS_LOGGED) },
      'readings of one batch share sensor, quantity, unit and time: the last of each is stored, the others are counted as conflicts',
    );
  }

  private async ingestHealth({ address, body }: GatewayMessage<'health'>, inHand: InHand): Promise<void> {
    if (await this.store(inHand, address, () => healthLines(address, body))) this.counters.healthWritten++;
  }

  /**
   * Encodes and writes a message's points (ms precision), retrying what can succeed later; resolves
   * false when encoding failed or the points were refused for good, and the message was quarantined.
   */
  private async store(
    inHand: InHand,
    address: GatewayAddress,
    encode: () => readonly string[],
  ): Promise<boolean> {
    try {
      await storeLines(this.options.writer, encode(), 'ms', this.storeOptions(inHand.topic));
      return true;
    } catch (error) {
      if (error instanceof StoreAbortedError) throw error;
      // Only the message's own fault ends up here (blocked writes are retried inside storeLines):
      // retrying a field type conflict would block the gateway's queue forever.
      const code = error instanceof InfluxError ? 'WRITE_REJECTED' : 'INGEST_FAILED';
      await this.quarantine(inHand, { code, reason: (error as Error).message, address });
      return false;
    }
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
        this.options.onProgress?.();
        this.options.logger.error({ topic, attempt, delayMs, err: error }, retryLogMessage(error));
      },
    };
  }

  private async quarantine(inHand: InHand, refusal: Refusal): Promise<void> {
    const { receivedAt, topic, payload, retained } = inHand;
    const record = buildQuarantineRecord({ receivedAt, topic, payload, ...refusal });
    // A retained message (a gateway's status) comes again with every new subscription
    // [MQTT-3.8.4-3], so an invalid one is quarantined again at each ingest start until the gateway
    // publishes a valid one or an operator clears it. Remembering it across restarts would need
    // state of its own; a repeated record, flagged in the log, is the simpler price.
    this.options.logger.warn(
      { code: record.code, topic: record.topic, reason: record.reason, ...(retained ? { retained } : {}) },
      retained
        ? 'retained message quarantined (it is quarantined again at every ingest start while it stays retained)'
        : 'message quarantined',
    );
    try {
      const line = quarantineLine(record, this.nanos.next(record.receivedAt));
      await storeLines(this.options.writer, [line], 'ns', this.storeOptions(record.topic));
    } catch (error) {
      if (error instanceof StoreAbortedError) throw error;
      this.counters.lost++;
      this.options.logger.error(
        { code: record.code, topic: record.topic, reason: record.reason, err: error },
        'message LOST: its quarantine record could not be stored either; it is acknowledged without being stored',
      );
      return;
    }
    this.counters.quarantined[record.code] = (this.counters.quarantined[record.code] ?? 0) + 1;
  }
}
