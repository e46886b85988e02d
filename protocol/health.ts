import { z } from 'zod';
import { SensorIdSchema } from './identifiers.js';
import { TimestampSchema } from './time.js';

const Count = z.number().int().nonnegative();

export const OutboxHealthSchema = z.object({
  pendingMessages: Count,
  /** Disk the outbox occupies: its segment files, which may still hold acknowledged messages. */
  diskBytes: Count,
  /** Messages the disk quota forced out before the broker confirmed them: readings lost at the edge. */
  droppedMessages: Count,
  droppedReadings: Count,
});

export const SensorHealthSchema = z.object({
  sensor: SensorIdSchema,
  samples: Count,
  errors: Count,
  lastError: z.string().max(500).optional(),
});

/**
 * How far the gateway trusts its own clock: `synced` within tolerance of NTP or a GPS fix,
 * `unsynced` known to be off or never set, `unknown` when no source can tell.
 */
export const ClockHealthSchema = z.object({
  state: z.enum(['synced', 'unsynced', 'unknown']),
  source: z.enum(['ntp', 'gps']).optional(),
  /** Gateway clock minus the reference, in milliseconds, where it was measured. */
  offsetMs: z.number().refine(Number.isFinite, 'must be a finite number').optional(),
});

/** The periodic `health` message: what an operator needs to judge a gateway from afar. */
export const HealthSchema = z.object({
  v: z.literal(1),
  time: TimestampSchema,
  uptimeS: z.number().nonnegative(),
  outbox: OutboxHealthSchema,
  published: z.object({ messages: Count, readings: Count }),
  sensors: z.array(SensorHealthSchema).max(1000),
  clock: ClockHealthSchema.optional(),
});

export type OutboxHealth = z.infer<typeof OutboxHealthSchema>;
export type SensorHealth = z.infer<typeof SensorHealthSchema>;
export type ClockHealth = z.infer<typeof ClockHealthSchema>;
export type Health = z.output<typeof HealthSchema>;
export type HealthInput = z.input<typeof HealthSchema>;
