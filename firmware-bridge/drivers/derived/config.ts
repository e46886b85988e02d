import { z } from 'zod';
import { SensorIdSchema } from '../../../protocol/index.js';
import { ExpressionError, parseExpression } from './expression.js';

const VariableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/, 'must be a name: a letter or "_", then letters, digits or "_"');

/**
 * A sensor computed on the gateway from other sensors' calibrated readings, e.g. equivalent ice
 * thickness from conductor load, or dew point from temperature and humidity.
 */
export const DerivedDriverConfigSchema = z.strictObject({
  type: z.literal('derived'),
  /** Arithmetic over the input and constant names; see derived/expression.ts for the language. */
  expression: z.string().superRefine((text, ctx) => {
    try {
      parseExpression(text);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      ctx.addIssue({ code: 'custom', message: `invalid expression: ${error.message}` });
    }
  }),
  /** Expression name -> id of the (non-derived) sensor whose calibrated value it stands for. */
  inputs: z.record(VariableName, SensorIdSchema).refine((inputs) => Object.keys(inputs).length > 0, {
    message: 'expected at least one input',
  }),
  /** Named numbers used by the expression, e.g. conductor diameter, span length. */
  constants: z.record(VariableName, z.number()).default({}),
  /**
   * Inputs are combined only if sampled at most this far apart; default: the derived sensor's own
   * intervalMs. Without it, a stale humidity would be paired with a fresh temperature.
   */
  maxSkewMs: z.number().int().positive().optional(),
});

export type DerivedDriverConfig = z.output<typeof DerivedDriverConfigSchema>;
