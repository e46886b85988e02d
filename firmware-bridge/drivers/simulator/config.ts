import { z } from 'zod';
import { SignalSchema } from './signals/index.js';

export const SimulatorDriverConfigSchema = z.strictObject({
  type: z.literal('simulator'),
  /** Sensors sharing a seed share weather: storms, icing episodes. */
  seed: z.number().int().nonnegative().max(0xffffffff).default(1),
  decimals: z.number().int().min(0).max(6).default(2),
  signal: SignalSchema,
});

export type SimulatorDriverConfig = z.output<typeof SimulatorDriverConfigSchema>;
