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
/** The last segment of a gateway topic `fs/v1/{station}/{gateway}/{kind}`. */
export const GATEWAY_KINDS = ['readings', 'status', 'health', 'meta'] as const;
export type GatewayKind = (typeof GATEWAY_KINDS)[number];

// An alert topic fs/v1/alerts/{station}/{rule} has the shape of a gateway topic, so a rule named after a
// gateway kind would land in that kind's subscribers (fs/v1/+/+/readings), the ingest among them.
export const RuleIdSchema = SlugSchema.refine((id) => !(GATEWAY_KINDS as readonly string[]).includes(id), {
  message: `must not be ${GATEWAY_KINDS.map((kind) => `"${kind}"`).join(', ')}: fs/v1/alerts/{station}/{rule} would then match the gateways' fs/v1/+/+/{kind} subscriptions`,
}).describe('alert rule id, unique within its station');

export type StationId = z.infer<typeof StationIdSchema>;
export type GatewayId = z.infer<typeof GatewayIdSchema>;
export type SensorId = z.infer<typeof SensorIdSchema>;
export type RuleId = z.infer<typeof RuleIdSchema>;

export function isSlug(value: string): boolean {
  return SLUG_PATTERN.test(value);
}
