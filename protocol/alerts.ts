import { z } from 'zod';
import { GatewayIdSchema, RuleIdSchema, SensorIdSchema, StationIdSchema } from './identifiers.js';
import { QuantitySchema, UnitSchema } from './readings.js';
import { TimestampSchema } from './time.js';

export const ThresholdOpSchema = z.enum(['above', 'below']);
export const AlertStateSchema = z.enum(['firing', 'clear']);
export const SeveritySchema = z.enum(['info', 'warning', 'critical']);

/**
 * What a rule watches: a value past a threshold, a rate of change over a window, several sensors
 * at once, a sensor that fell silent, a gateway gone offline, or a trend that will reach a limit.
 */
export const RuleKindSchema = z.enum([
  'threshold',
  'rate',
  'composite',
  'deadman',
  'gateway-offline',
  'forecast',
]);

/**
 * A rule's state change, published retained on `fs/v1/alerts/{station}/{rule}` so a new subscriber
 * learns every rule's current state at once. `message` is the text for people; the optional fields
 * name the sensor and value that changed the state, where the rule's kind has one (a gateway going
 * offline has a gateway but no sensor; a composite names the input that completed the condition).
 */
export const AlertEventSchema = z.object({
  v: z.literal(1),
  station: StationIdSchema,
  rule: RuleIdSchema,
  /** Events published before rule kinds existed are threshold events. */
  kind: RuleKindSchema.default('threshold'),
  state: AlertStateSchema,
  severity: SeveritySchema,
  message: z.string().min(1).max(500),
  gateway: GatewayIdSchema.optional(),
  sensor: SensorIdSchema.optional(),
  quantity: QuantitySchema.optional(),
  unit: UnitSchema.optional(),
  value: z.number().optional(),
  op: ThresholdOpSchema.optional(),
  threshold: z.number().optional(),
  /** Sample time of the reading (or clock time of the check) that changed the state. */
  time: TimestampSchema,
  /** When the rule started firing; on `clear`, when the episode began. */
  since: TimestampSchema,
});

/** Who stops repeats and escalation of one episode (`since`) of a firing rule. */
const ActorSchema = z.string().trim().min(1).max(100);
const CommentSchema = z.string().max(500);

/**
 * An acknowledgement, published retained on `fs/v1/alerts/{station}/{rule}/ack`. It applies to the
 * episode that began at `since`; a later episode of the same rule needs its own.
 */
export const AlertAckSchema = z.object({
  v: z.literal(1),
  station: StationIdSchema,
  rule: RuleIdSchema,
  since: TimestampSchema,
  by: ActorSchema,
  comment: CommentSchema.optional(),
  /** When it was acknowledged. */
  time: TimestampSchema,
});

/**
 * A silence for planned work, published retained on `fs/v1/alerts/{station}/{rule}/silence`: no
 * notification of the rule is sent until `until` (events are still published and stored). An empty
 * retained payload, or an `until` in the past, lifts it.
 */
export const AlertSilenceSchema = z.object({
  v: z.literal(1),
  station: StationIdSchema,
  rule: RuleIdSchema,
  until: TimestampSchema,
  by: ActorSchema,
  comment: CommentSchema.optional(),
  /** When the silence was set. */
  time: TimestampSchema,
});

export const DeliveryChannelSchema = z.enum(['email', 'webhook']);
export const DeliveryOutcomeSchema = z.enum(['sent', 'retrying', 'failed']);

/**
 * What the notifier did with one notification, published (not retained) on
 * `fs/v1/alerts/{station}/{rule}/delivery` for the ingest to keep in the alert history.
 */
export const AlertDeliverySchema = z.object({
  v: z.literal(1),
  station: StationIdSchema,
  rule: RuleIdSchema,
  /** The notification's id: stable across retries and restarts (the webhook-id of a webhook). */
  id: z.string().min(1).max(100),
  channel: DeliveryChannelSchema,
  /** The subscriber it was for (a name from the subscribers file). */
  subscriber: z.string().min(1).max(100),
  /** firing, clear, repeat or escalation. */
  reason: z.enum(['firing', 'clear', 'repeat', 'escalation']),
  outcome: DeliveryOutcomeSchema,
  attempt: z.number().int().positive(),
  error: z.string().max(500).optional(),
  /** The episode the notification is about. */
  since: TimestampSchema,
  time: TimestampSchema,
});

export type ThresholdOp = z.infer<typeof ThresholdOpSchema>;
export type AlertState = z.infer<typeof AlertStateSchema>;
export type Severity = z.infer<typeof SeveritySchema>;
export type RuleKind = z.infer<typeof RuleKindSchema>;
export type AlertEvent = z.output<typeof AlertEventSchema>;
export type AlertEventInput = z.input<typeof AlertEventSchema>;
export type AlertAck = z.output<typeof AlertAckSchema>;
export type AlertSilence = z.output<typeof AlertSilenceSchema>;
export type DeliveryChannel = z.infer<typeof DeliveryChannelSchema>;
export type DeliveryOutcome = z.infer<typeof DeliveryOutcomeSchema>;
export type AlertDelivery = z.output<typeof AlertDeliverySchema>;
