import { z } from 'zod';
import { GatewayIdSchema, RuleIdSchema, SensorIdSchema, StationIdSchema } from './identifiers.js';
import { QuantitySchema, UnitSchema } from './readings.js';
import { TimestampSchema } from './time.js';

export const ThresholdOpSchema = z.enum(['above', 'below']);
export const AlertStateSchema = z.enum(['firing', 'clear']);
export const SeveritySchema = z.enum(['info', 'warning', 'critical']);

/**
 * A rule's state change, published retained on `fs/v1/alerts/{station}/{rule}` so a new subscriber
 * learns every rule's current state at once.
 */
export const AlertEventSchema = z.object({
  v: z.literal(1),
  station: StationIdSchema,
  rule: RuleIdSchema,
  state: AlertStateSchema,
  severity: SeveritySchema,
  message: z.string().min(1).max(500),
  gateway: GatewayIdSchema,
  sensor: SensorIdSchema,
  quantity: QuantitySchema,
  unit: UnitSchema,
  value: z.number(),
  op: ThresholdOpSchema,
  threshold: z.number(),
  /** Sample time of the reading that changed the state. */
  time: TimestampSchema,
  /** When the rule started firing; on `clear`, when the episode began. */
  since: TimestampSchema,
});

export type ThresholdOp = z.infer<typeof ThresholdOpSchema>;
export type AlertState = z.infer<typeof AlertStateSchema>;
export type Severity = z.infer<typeof SeveritySchema>;
export type AlertEvent = z.output<typeof AlertEventSchema>;
