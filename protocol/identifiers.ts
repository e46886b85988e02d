import { z } from 'zod';

/**
 * Station, gateway, sensor and rule ids. The pattern admits no MQTT wildcard or separator, no
 * line-protocol delimiter and no quote, so an id that passed it can go into a topic, a tag or an
 * InfluxQL literal without further thought.
 */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const SlugSchema = z
  .string()
  .regex(
    SLUG_PATTERN,
    'must be a slug: lower-case letters, digits and "-", 1-63 characters, not starting with "-"',
  );

export const StationIdSchema = SlugSchema.describe('station id, e.g. "jinfo"');
export const GatewayIdSchema = SlugSchema.describe('gateway id, unique within its station');
export const SensorIdSchema = SlugSchema.describe('sensor id, unique within its gateway');
export const RuleIdSchema = SlugSchema.describe('alert rule id, unique within its station');

export type StationId = z.infer<typeof StationIdSchema>;
export type GatewayId = z.infer<typeof GatewayIdSchema>;
export type SensorId = z.infer<typeof SensorIdSchema>;
export type RuleId = z.infer<typeof RuleIdSchema>;

export function isSlug(value: string): boolean {
  return SLUG_PATTERN.test(value);
}
