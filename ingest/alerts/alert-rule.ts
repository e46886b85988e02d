import { z } from 'zod';
import {
  GatewayIdSchema,
  QuantitySchema,
  RuleIdSchema,
  SensorIdSchema,
  SeveritySchema,
  StationIdSchema,
  ThresholdOpSchema,
  UnitSchema,
} from '../../protocol/index.js';
import { DurationSchema, PositiveDurationSchema, RatePerSchema } from './duration.js';

/** Names a message template may use, e.g. "{station} {sensor}: {quantity} {value} {unit}". */
export const TEMPLATE_PLACEHOLDERS = [
  'rule',
  'kind',
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
  /** rate: the slope over the window, in unit per `per`. */
  'rate',
  'per',
  'window',
  /** threshold/composite: the `for` duration. */
  'for',
  /** composite: its inputs as "air-temperature -1.2 Cel, relative-humidity 95 %". */
  'inputs',
  /** deadman / gateway-offline: how long it has been silent or offline. */
  'silence',
  /** forecast: hours until the projection reaches the limit. */
  'eta',
  'within',
] as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

function unknownPlaceholders(template: string): string[] {
  const known: readonly string[] = TEMPLATE_PLACEHOLDERS;
  return [...template.matchAll(PLACEHOLDER)]
    .map((match) => match[1] ?? '')
    .filter((name) => !known.includes(name));
}

/** Keys every kind has. */
const common = {
  id: RuleIdSchema,
  station: StationIdSchema,
  severity: SeveritySchema.default('warning'),
  description: z.string().min(1).max(200).optional(),
  message: z.string().min(1).max(300).optional(),
};

/** One sensor by id, or every sensor of the station measuring a quantity, optionally in one unit. */
const target = {
  sensor: SensorIdSchema.optional(),
  quantity: QuantitySchema.optional(),
  /** Only readings in this unit, so a threshold is never compared across units. */
  unit: UnitSchema.optional(),
};

const comparison = {
  op: ThresholdOpSchema,
  threshold: z.number(),
  /** Hysteresis: an `above` rule clears only below clearAt, a `below` rule only above it. */
  clearAt: z.number().optional(),
};

/**
 * A reading older than this (by the clock of the evaluation) no longer says the condition holds:
 * a `for` duration is not completed by the tick, and a composite input counts as unknown.
 */
const DEFAULT_STALE_AFTER_MS = 15 * 60_000;

const ThresholdRuleSchema = z
  .object({
    kind: z.literal('threshold'),
    ...common,
    ...target,
    ...comparison,
    /** The condition must hold this long (sample time) before the rule fires; 0 fires at once. */
    for: DurationSchema.default(0),
    staleAfter: PositiveDurationSchema.default(DEFAULT_STALE_AFTER_MS),
  })
  .strict();

const RateRuleSchema = z
  .object({
    kind: z.literal('rate'),
    ...common,
    ...target,
    ...comparison,
    /** The least-squares slope is taken over the readings of this window. */
    window: PositiveDurationSchema,
    /** threshold and clearAt are in the reading's unit per this time unit. */
    per: RatePerSchema.default('h'),
    /** Fewest readings in the window before a slope is trusted. */
    minReadings: z.number().int().min(2).default(3),
  })
  .strict();

const ConditionSchema = z
  .object({ ...target, ...comparison })
  .strict()
  .transform((condition) => ({ ...condition, clearAt: condition.clearAt ?? condition.threshold }));

const CompositeRuleSchema = z
  .object({
    kind: z.literal('composite'),
    ...common,
    /** Every condition must hold at once, each on the latest reading of its sensor or quantity. */
    all: z.array(ConditionSchema).min(1).max(10),
    for: DurationSchema.default(0),
    /** An input without a reading this recent is unknown, and an unknown input does not hold. */
    staleAfter: PositiveDurationSchema.default(DEFAULT_STALE_AFTER_MS),
  })
  .strict();

const DeadmanRuleSchema = z
  .object({
    kind: z.literal('deadman'),
    ...common,
    sensor: SensorIdSchema.optional(),
    quantity: QuantitySchema.optional(),
    /** Silent this long fires; without it, `missed` times the interval the gateway announced. */
    after: PositiveDurationSchema.optional(),
    missed: z.number().int().min(1).default(3),
  })
  .strict();

const GatewayOfflineRuleSchema = z
  .object({
    kind: z.literal('gateway-offline'),
    ...common,
    /** One gateway, or every gateway of the station when absent. */
    gateway: GatewayIdSchema.optional(),
    after: DurationSchema.default(600_000),
  })
  .strict();

const ForecastRuleSchema = z
  .object({
    kind: z.literal('forecast'),
    ...common,
    ...target,
    op: ThresholdOpSchema.default('above'),
    /** The value the trend must not reach, e.g. the line's 20 mm design ice thickness. */
    limit: z.number(),
    /** Fires when the least-squares projection reaches the limit within this horizon. */
    within: PositiveDurationSchema,
    /** Hysteresis: clears only once the projection needs longer than this (default 1.5 × within). */
    clearWithin: PositiveDurationSchema.optional(),
    window: PositiveDurationSchema,
    minReadings: z.number().int().min(2).default(4),
  })
  .strict();

const RuleUnionSchema = z.discriminatedUnion('kind', [
  ThresholdRuleSchema,
  RateRuleSchema,
  CompositeRuleSchema,
  DeadmanRuleSchema,
  GatewayOfflineRuleSchema,
  ForecastRuleSchema,
]);

type ParsedRule = z.output<typeof RuleUnionSchema>;

function issue(ctx: z.RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

function checkTarget(
  target: { sensor?: string | undefined; quantity?: string | undefined },
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  if ((target.sensor === undefined) === (target.quantity === undefined)) {
    issue(ctx, [...path, 'sensor'], 'give exactly one of "sensor" or "quantity"');
  }
}

function checkClearAt(
  rule: { op: 'above' | 'below'; threshold: number; clearAt?: number | undefined },
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  if (rule.clearAt === undefined) return;
  const wrongSide = rule.op === 'above' ? rule.clearAt > rule.threshold : rule.clearAt < rule.threshold;
  if (wrongSide) {
    const side = rule.op === 'above' ? 'at or below' : 'at or above';
    issue(ctx, [...path, 'clearAt'], `must be ${side} the threshold ${rule.threshold}`);
  }
}

function checkRule(rule: ParsedRule, ctx: z.RefinementCtx): void {
  switch (rule.kind) {
    case 'threshold':
    case 'rate':
      checkTarget(rule, ctx);
      checkClearAt(rule, ctx);
      break;
    case 'forecast':
      checkTarget(rule, ctx);
      if (rule.clearWithin !== undefined && rule.clearWithin < rule.within) {
        issue(ctx, ['clearWithin'], `must be at least within (${rule.within} ms)`);
      }
      break;
    case 'deadman':
      checkTarget(rule, ctx);
      break;
    case 'composite':
      rule.all.forEach((condition, index) => {
        checkTarget(condition, ctx, ['all', index]);
        checkClearAt(condition, ctx, ['all', index]);
      });
      break;
    case 'gateway-offline':
      break;
    default:
      rule satisfies never;
  }
  const unknown = rule.message === undefined ? [] : unknownPlaceholders(rule.message);
  if (unknown.length > 0) {
    issue(
      ctx,
      ['message'],
      `unknown placeholder {${unknown.join('}, {')}}; known: {${TEMPLATE_PLACEHOLDERS.join('}, {')}}`,
    );
  }
}

function finish(rule: ParsedRule) {
  switch (rule.kind) {
    case 'threshold':
    case 'rate':
      return Object.freeze({ ...rule, clearAt: rule.clearAt ?? rule.threshold });
    case 'forecast':
      return Object.freeze({ ...rule, clearWithin: rule.clearWithin ?? Math.round(rule.within * 1.5) });
    default:
      return Object.freeze(rule);
  }
}

/** A rule without `kind` is a threshold rule, so files written before kinds existed still load. */
function defaultKind(input: unknown): unknown {
  if (typeof input === 'object' && input !== null && !Array.isArray(input) && !('kind' in input)) {
    return { ...input, kind: 'threshold' };
  }
  return input;
}

export const AlertRuleSchema = z.preprocess(
  defaultKind,
  RuleUnionSchema.superRefine(checkRule).transform(finish),
);

export const AlertRulesFileSchema = z
  .object({ rules: z.array(AlertRuleSchema) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((rule, index) => {
      const key = `${rule.station}/${rule.id}`;
      if (seen.has(key)) issue(ctx, ['rules', index, 'id'], `duplicate rule ${key}`);
      seen.add(key);
    });
  });

export type AlertRule = z.output<typeof AlertRuleSchema>;
export type AlertRuleInput =
  | z.input<typeof RuleUnionSchema>
  | Omit<z.input<typeof ThresholdRuleSchema>, 'kind'>;
export type RuleOf<K extends AlertRule['kind']> = Extract<AlertRule, { kind: K }>;
export type ThresholdRule = RuleOf<'threshold'>;
export type RateRule = RuleOf<'rate'>;
export type CompositeRule = RuleOf<'composite'>;
export type DeadmanRule = RuleOf<'deadman'>;
export type GatewayOfflineRule = RuleOf<'gateway-offline'>;
export type ForecastRule = RuleOf<'forecast'>;
export type CompositeCondition = CompositeRule['all'][number];
