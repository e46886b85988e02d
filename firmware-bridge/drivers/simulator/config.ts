import { z } from 'zod';
import { SignalSchema } from './signals/index.js';

export const SimulatorDriverConfigSchema = z.strictObject({
  type: z.literal('simulator'),
  /** Sensors sharing a seed share weather: storms, icing episodes. */
  seed: z.number().int().nonnegative().max(0xffffffff).default(1),
  decimals: z.number().int().min(0).max(6).default(2),
  signal: SignalSchema,
  /**
   * Evaluates the signal this many whole days after the sample time. Whole days keep the daily
   * cycle in phase; the demo's backfill picks a shift whose past week holds a storm and an icing
   * night, and the live simulation keeps it so the two join without a jump.
   */
  shiftDays: z.number().int().min(-3660).max(3660).default(0),
});

export type SimulatorDriverConfig = z.output<typeof SimulatorDriverConfigSchema>;
