import { z } from 'zod';
import { SensorIdSchema } from './identifiers.js';
import { QuantitySchema, UnitSchema } from './readings.js';
import { TimestampSchema } from './time.js';

export const GatewayStateSchema = z.enum(['online', 'offline']);

/** What a gateway announces about each of its sensors, so dashboards can list them before data arrives. */
export const SensorDescriptionSchema = z.object({
  sensor: SensorIdSchema,
  quantity: QuantitySchema,
  unit: UnitSchema,
  intervalMs: z.number().int().positive().optional(),
});

/**
 * The retained `status` message. The gateway publishes `online` on connect and registers
 * `{"v":1,"state":"offline"}` as its Last Will, so a lost gateway turns offline without its help.
 */
export const StatusSchema = z.object({
  v: z.literal(1),
  state: GatewayStateSchema,
  time: TimestampSchema.optional(),
  software: z.string().max(64).optional(),
  sensors: z.array(SensorDescriptionSchema).max(1000).optional(),
});

export type GatewayState = z.infer<typeof GatewayStateSchema>;
export type SensorDescription = z.infer<typeof SensorDescriptionSchema>;
export type Status = z.output<typeof StatusSchema>;
export type StatusInput = z.input<typeof StatusSchema>;
