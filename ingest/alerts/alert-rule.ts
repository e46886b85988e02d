import { z } from 'zod';
import {
  QuantitySchema,
  RuleIdSchema,
  SensorIdSchema,
  SeveritySchema,
  StationIdSchema,
  ThresholdOpSchema,
  UnitSchema,
} from '../../protocol/index.js';

/** Names a message template may use, e.g. "{station} {sensor}: {quantity} {value} {unit}". */
export const TEMPLATE_PLACEHOLDERS = [
  'rule',
  'station',
  'gateway',
  'sensor',
  'quantity',
  'value',
  'unit',
  'state',
  'severity',
  'op',
  'threshold',
  'clearAt',
  'relation',
  'limit',
  'description',
] as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

function unknownPlaceholders(template: string): string[] {
  const known: readonly string[] = TEMPLATE_PLACEHOLDERS;
  return [...template.matchAll(PLACEHOLDER)]
    .map((match) => match[1] ?? '')
    .filter((name) => !known.includes(name));
}

const RuleFieldsSchema = z
  .object({
    id: RuleIdSchema,
    station: StationIdSchema,
    /** Match one sensor by id ... */
    sensor: SensorIdSchema.optional(),
    /** ... or every sensor of the station that measures this quantity. */
    quantity: QuantitySchema.optional(),
    /** Only readings in this unit, so a threshold is never compared across units. */
    unit: UnitSchema.optional(),
    op: ThresholdOpSchema,
    threshold: z.number(),
    /** Hysteresis: an `above` rule clears only below clearAt, a `below` rule only above it. */
    clearAt: z.number().optional(),
    severity: SeveritySchema.default('warning'),
    description: z.string().min(1).max(200).optional(),
    message: z.string().min(1).max(300).optional(),
  })
  .strict();

type RuleFields = z.output<typeof RuleFieldsSchema>;

function checkRule(rule: RuleFields, ctx: z.RefinementCtx): void {
  if ((rule.sensor === undefined) === (rule.quantity === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['sensor'], message: 'give exactly one of "sensor" or "quantity"' });
  }
  if (rule.clearAt !== undefined) {
    const wrongSide = rule.op === 'above' ? rule.clearAt > rule.threshold : rule.clearAt < rule.threshold;
    if (wrongSide) {
      const side = rule.op === 'above' ? 'at or below' : 'at or above';
      ctx.addIssue({
        code: 'custom',
        path: ['clearAt'],
        message: `must be ${side} the threshold ${rule.threshold}`,
      });
    }
  }
  const unknown = rule.message === undefined ? [] : unknownPlaceholders(rule.message);
  if (unknown.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['message'],
      message: `unknown placeholder {${unknown.join('}, {')}}; known: {${TEMPLATE_PLACEHOLDERS.join('}, {')}}`,
    });
  }
}

export const AlertRuleSchema = RuleFieldsSchema.superRefine(checkRule).transform((rule) =>
  Object.freeze({ ...rule, clearAt: rule.clearAt ?? rule.threshold }),
);

export const AlertRulesFileSchema = z
  .object({ rules: z.array(AlertRuleSchema) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((rule, index) => {
      const key = `${rule.station}/${rule.id}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate rule ${key}` });
      }
      seen.add(key);
    });
  });

export type AlertRule = z.output<typeof AlertRuleSchema>;
export type AlertRuleInput = z.input<typeof AlertRuleSchema>;
