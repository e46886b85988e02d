import type { Logger } from 'pino';
import { type GatewayAddress, parseGatewayTopic, type Reading } from '../../protocol/index.js';
import type { AlertEngine } from '../alerts/alert-engine.js';
import { toAlertEvent } from '../alerts/alert-event.js';
import type { AlertPublisher } from '../alerts/alert-publisher.js';
import type { AlertRuntime } from '../alerts/alert-runtime.js';
import { quarantineLine } from '../quarantine/quarantine-point.js';
import {
  buildQuarantineRecord,
  type QuarantineCode,
  type QuarantineInput,
} from '../quarantine/quarantine-record.js';
import { UniqueNanoClock } from '../quarantine/unique-nanos.js';
import { sequenceNote } from '../sequence/sequence-journal.js';
import type { SequenceTracker } from '../sequence/sequence-tracker.js';
import type { SpoolAppender } from '../spool/spool-appender.js';
import { StoreAbortedError } from '../store/store-batch.js';
import { alertActionLine } from './action-lines.js';
import { type DecodedAction, decodeAlertAction } from './decode-action.js';
import { decodeMessage, type GatewayMessage } from './decode-message.js';
import { dispatchMessage, type MessageHandlers } from './dispatch-message.js';
import { healthLines } from './health-lines.js';
import { metaLines } from './meta-lines.js';
import { collapseConflicts, type ReadingConflict } from './reading-conflicts.js';
import type { ReadingLimiter } from './reading-limits.js';
import { readingLines } from './reading-lines.js';

export interface IngestCounters {
  messages: number;
  /** Readings in the spool, on their way to InfluxDB (the drainer counts what it wrote). */
  readingsAccepted: number;
  /** Readings replaced by a later reading of the same point in the same batch: received, not stored. */
  readingConflicts: number;
  /** Health messages accepted for `gateway_health` and `sensor_health`. */
  healthAccepted: number;
  /** Valid status messages: checked against the contract, nothing stored (the API reads them live). */
  statusAccepted: number;
  /** Metadata messages stored in `metadata` (each retained one again at every ingest start). */
  metaAccepted: number;
  /** Acks, silences (and their lifts) and delivery records stored for the alert history. */
  alertActionsAccepted: number;
  quarantined: Partial<Record<QuarantineCode, number>>;
  /** Acknowledged without being stored: even the quarantine record could not be made. */
  lost: number;
  /** Readings messages whose seq the tracker had seen: stored again (idempotently), alerts not evaluated again. */
  redelivered: number;
  alertsFired: number;
}

export interface MessageIngestorOptions {
  /** Where a message's lines go before it is acknowledged; it waits while the spool is full. */
  spool: Pick<SpoolAppender, 'append'>;
  logger: Logger;
  sequences: SequenceTracker;
  /** `runtime` takes gateway statuses (gateway-offline, deadman intervals); without it they only count. */
  alerts?: { engine: AlertEngine; publisher: AlertPublisher; runtime?: Pick<AlertRuntime, 'status'> };
  /** Sample-time window and series per gateway; without it every valid reading is taken. */
  limits?: ReadingLimiter;
  now?: () => number;
}

/** Readings and health are encoded in ms; the spool holds ns, the precision quarantine records need. */
const MS_TO_NS = '000000';

function nsLines(msLines: readonly string[]): string {
  let text = '';
  for (const line of msLines) text += `${line}${MS_TO_NS}\n`;
  return text;
}

type Refusal = Pick<QuarantineInput, 'code' | 'reason' | 'address' | 'station'>;

/** Conflicts quoted in the log line of one batch; the count says how many there were in all. */
const CONFLICTS_LOGGED = 5;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
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
    readingsAccepted: 0,
    readingConflicts: 0,
    healthAccepted: 0,
    statusAccepted: 0,
    metaAccepted: 0,
    alertActionsAccepted: 0,
    quarantined: {},
    lost: 0,
    redelivered: 0,
    alertsFired: 0,
  };
}

/**
 * The pipeline for one MQTT message: decode, then by topic kind: readings go to the spool with their
 * sequence note, and alerts are evaluated; health and meta go to the spool; status is only validated.
 * Anything invalid is quarantined (its record goes to the spool too). `ingest` resolves once the
 * message may be acknowledged: its lines are in the spool, or, should even a quarantine record be
 * impossible to make, the loss is counted and logged. It rejects only when stopped while waiting for
 * room in the spool (StoreAbortedError). InfluxDB is the drainer's business, not this one's.
 */
export class MessageIngestor {
  readonly counters: IngestCounters = emptyCounters();
  private readonly nanos = new UniqueNanoClock();
  private readonly handlers: MessageHandlers<InHand> = {
    readings: (readings, inHand) => this.ingestReadings(readings, inHand),
    // Health is QoS 0: a write that keeps failing is retried while the ingest runs, like readings,
    // but on stop the message is simply gone (the broker never queues QoS 0 for redelivery).
    health: (health) => this.ingestHealth(health),
    // Status is read live by the API from the retained message; the ingest checks the contract and
    // hands it to the alerts (gateway-offline rules, deadman intervals).
    status: async ({ address, body }) => {
      this.counters.statusAccepted++;
      this.options.alerts?.runtime?.status(address, body);
    },
    // Metadata joins the spool like readings, so it reaches InfluxDB by the same durable road.
    meta: (meta) => this.ingestMeta(meta),
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
    const action = decodeAlertAction(inHand.topic, inHand.payload);
    if (action !== undefined) {
      await this.ingestAlertAction(action, inHand);
      return;
    }
    const decoded = decodeMessage(inHand.topic, inHand.payload);
    if (!decoded.ok) {
      const { code, reason, address } = decoded;
      await this.quarantine(inHand, { code, reason, ...(address ? { address } : {}) });
      return;
    }
    await dispatchMessage(this.handlers, decoded, inHand);
  }

  private async ingestReadings({ address, body }: GatewayMessage<'readings'>, inHand: InHand): Promise<void> {
    const refusal = this.options.limits?.check(address, body.readings, inHand.receivedAt);
    if (refusal !== undefined) {
      await this.quarantine(inHand, { ...refusal, address });
      return;
    }
    const { kept, conflicts } = collapseConflicts(body.readings);
    // An encoding failure throws, and ingest() quarantines the message as INGEST_FAILED.
    const text = nsLines(readingLines(address, kept)) + sequenceNote(address, body.seq, conflicts.length);
    await this.options.spool.append(text);
    this.counters.readingsAccepted += kept.length;
    const outcome = this.options.sequences.record(address, body.seq);
    if (outcome === 'gap' || outcome === 'restart' || outcome === 'duplicate') {
      this.options.logger.info({ ...address, seq: body.seq, outcome }, `sequence ${outcome}`);
    }
    if (conflicts.length > 0) this.reportConflicts(address, body.seq, conflicts);
    // A seq seen before is the broker delivering again what we took before a crash (or the gateway
    // sending it twice): its points land on themselves, and its alerts were evaluated the first time.
    if (outcome === 'duplicate') {
      this.counters.redelivered++;
      return;
    }
    try {
      this.evaluateAlerts(address, kept, inHand.receivedAt);
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

  private async ingestHealth({ address, body }: GatewayMessage<'health'>): Promise<void> {
    await this.options.spool.append(nsLines(healthLines(address, body)));
    this.counters.healthAccepted++;
  }

  private async ingestMeta({ address, body }: GatewayMessage<'meta'>): Promise<void> {
    await this.options.spool.append(nsLines(metaLines(address, body)));
    this.counters.metaAccepted++;
    this.options.logger.info(
      { ...address, sensors: body.sensors.length, time: body.time },
      'metadata stored',
    );
  }

  /** Acks, silences and deliveries go to the spool like readings, for the alert history. */
  private async ingestAlertAction(decoded: DecodedAction, inHand: InHand): Promise<void> {
    if (!decoded.ok) {
      const { code, reason, address } = decoded;
      await this.quarantine(inHand, { code, reason, station: address.station });
      return;
    }
    if (decoded.action === undefined) {
      this.options.logger.info({ topic: inHand.topic }, 'retained acknowledgement removed; nothing to store');
      return;
    }
    const { action } = decoded;
    if (action.kind !== 'lift') {
      const refusal = this.options.limits?.checkTime(action.body.time, inHand.receivedAt, 'time');
      if (refusal !== undefined) {
        await this.quarantine(inHand, { ...refusal, station: action.body.station });
        return;
      }
    }
    const line = alertActionLine(decoded.action, () => this.nanos.next(inHand.receivedAt));
    await this.options.spool.append(`${line}\n`);
    this.counters.alertActionsAccepted++;
  }

  private evaluateAlerts(address: GatewayAddress, readings: readonly Reading[], receivedAt: number): void {
    if (this.options.alerts === undefined) return;
    const transitions = this.options.alerts.engine.evaluate(address, readings, receivedAt);
    this.counters.alertsFired += transitions.filter((transition) => transition.state === 'firing').length;
    this.options.alerts.publisher.enqueue(transitions.map(toAlertEvent));
  }

  /** Sets a message aside: its record goes to the spool like any point, and it is acknowledged. */
  async quarantine(
    inHand: Pick<InHand, 'receivedAt' | 'topic' | 'payload' | 'retained'>,
    refusal: Refusal,
  ): Promise<void> {
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
    let line: string;
    try {
      line = quarantineLine(record, this.nanos.next(record.receivedAt));
    } catch (error) {
      this.counters.lost++;
      this.options.logger.error(
        { code: record.code, topic: record.topic, reason: record.reason, err: error },
        'message LOST: its quarantine record could not be made; it is acknowledged without being stored',
      );
      return;
    }
    await this.options.spool.append(`${line}\n`);
    this.counters.quarantined[record.code] = (this.counters.quarantined[record.code] ?? 0) + 1;
  }
}
