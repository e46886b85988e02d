import { z } from 'zod';
import { InfluxConfigSchema } from '../influx/index.js';
import { PartitionSchema } from './partition.js';
import { ReadingLimitsSchema } from './pipeline/reading-limits.js';
import { SpoolConfigSchema } from './spool/spool.js';
import { DrainConfigSchema } from './spool/spool-drainer.js';
import { RetryPolicySchema } from './store/retry-policy.js';

export const MqttConsumerConfigSchema = z.object({
  url: z.string().regex(/^(mqtts?|wss?|tcp):\/\/.+/, 'must be an MQTT URL such as mqtt://127.0.0.1:1883'),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  // A fixed client id is what ties the ingest to its persistent session: the broker queues for it by id.
  clientId: z.string().min(1).max(64).default('fs-ingest'),
});

export const AlertClockConfigSchema = z.object({
  /** How often clock-driven alert checks run (`for` completed between readings, deadman, gateway offline). */
  tickMs: z.number().int().positive().default(1000),
  /** After a start, the broker's queue counts as drained once no message came for this long... */
  settleMs: z.number().int().positive().default(2000),
  /** ...or at the latest this long after the start; deadman rules wait for it (no false silence). */
  maxCatchUpMs: z.number().int().positive().default(60_000),
});

export const IngestConfigSchema = z.object({
  mqtt: MqttConsumerConfigSchema,
  influx: InfluxConfigSchema,
  /** YAML or JSON alert rules; without it the ingest stores readings and evaluates no alerts. */
  alertsFile: z.string().min(1).optional(),
  alertClock: AlertClockConfigSchema.default(AlertClockConfigSchema.parse({})),
  /** The ingest's own data: the spool (DATA_DIR/ingest/spool) and its sequence statistics. */
  dataDir: z.string().min(1),
  spool: SpoolConfigSchema.default(SpoolConfigSchema.parse({})),
  drain: DrainConfigSchema.default(DrainConfigSchema.parse({})),
  /** How often each gateway's sequence totals are written to `gateway_sequence` and snapshotted. */
  journalIntervalMs: z.number().int().positive().default(10_000),
  /** How long a clean stop waits for the spool to reach InfluxDB; what is left is written next start. */
  drainOnStopMs: z.number().int().nonnegative().default(5000),
  /** Several ingests over one broker: each stores the gateways of its partition (see partition.ts). */
  partition: PartitionSchema.default({ index: 0, count: 1 }),
  writeRetry: RetryPolicySchema.default(RetryPolicySchema.parse({})),
  limits: ReadingLimitsSchema.default(ReadingLimitsSchema.parse({})),
  /**
   * A message in hand this long without progress (write retries count as progress) has stalled the
   * consumer: the watchdog restarts it and quarantines the message when it is delivered again.
   */
  stallTimeoutMs: z.number().int().positive().optional(),
  /** How often the counters (messages, quarantine, sequence gaps per gateway) are logged; 0 turns it off. */
  statsLogIntervalMs: z.number().int().nonnegative().default(60_000),
});

export type MqttConsumerConfig = z.output<typeof MqttConsumerConfigSchema>;
export type IngestConfig = z.output<typeof IngestConfigSchema>;
export type IngestConfigInput = z.input<typeof IngestConfigSchema>;
