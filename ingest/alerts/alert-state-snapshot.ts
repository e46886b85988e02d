import { z } from 'zod';
import {
  GatewayIdSchema,
  RuleIdSchema,
  SensorDescriptionSchema,
  StationIdSchema,
} from '../../protocol/index.js';

/**
 * The alert engine's state on disk (DATA_DIR/ingest/alert-state.json): everything a restart would
 * otherwise lose (pending `for` clocks, deadman clocks, composite inputs, rate and forecast windows,
 * offline clocks). Each rule's state is checked by its kind when read back (KindEvaluator.restore).
 */
export const AlertStateSnapshotSchema = z.object({
  v: z.literal(1),
  /** Clock time of the write. */
  savedAt: z.number(),
  rules: z.array(
    z.object({
      station: StationIdSchema,
      id: RuleIdSchema,
      /** The rule as it was evaluated (ruleFingerprint): a changed rule does not take its old state. */
      fingerprint: z.string(),
      state: z.unknown(),
    }),
  ),
  announced: z.array(
    z.object({
      station: StationIdSchema,
      gateway: GatewayIdSchema,
      sensors: z.array(SensorDescriptionSchema),
    }),
  ),
});

export type AlertStateSnapshot = z.infer<typeof AlertStateSnapshotSchema>;
export type SnapshotRule = AlertStateSnapshot['rules'][number];
