import { z } from 'zod';

/** Redis key and channel prefixes: no glob characters, since the channels end up in PSUBSCRIBE patterns. */
const KEY_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const MemoryPersistenceSchema = z
  .object({ type: z.literal('memory') })
  .strict()
  .describe('in this process only: sessions, queues and retained messages are lost on restart (tests)');

export const DiskPersistenceSchema = z
  .object({
    type: z.literal('disk'),
    dir: z
      .string()
      .min(1)
      .describe(
        'LevelDB directory; one broker process at a time. The owners of kept sessions live beside it, in <dir>.session-owners.json',
      ),
  })
  .strict()
  .describe('LevelDB on local disk, for a single broker');

export const JournalFsyncSchema = z.enum(['always', 'interval', 'never']);
export type JournalFsync = z.infer<typeof JournalFsyncSchema>;

export const JournalPersistenceSchema = z
  .object({
    type: z.literal('journal'),
    dir: z
      .string()
      .min(1)
      .describe(
        'directory of the journal; one broker process at a time. The owners of kept sessions live beside it, in <dir>.session-owners.json',
      ),
    fsync: JournalFsyncSchema.default('interval').describe(
      'when the journal reaches the disk. always: before a message is acknowledged (a power cut loses nothing acknowledged; one fsync per event-loop turn). interval: within fsyncIntervalMs (a killed broker loses nothing, a power cut the last moments). never: when the kernel writes it',
    ),
    fsyncIntervalMs: z.number().int().positive().default(1000),
    compactAfterBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024)
      .describe('journal bytes appended after which it is rewritten as a snapshot of the state'),
  })
  .strict()
  .describe(
    'state in memory, every change appended to a journal on local disk and replayed at start, for a single broker',
  );

export const RedisPersistenceSchema = z
  .object({
    type: z.literal('redis'),
    url: z
      .url({ protocol: /^rediss?$/ })
      .describe('redis://[user:password@]host:port[/db], or rediss:// for TLS'),
    keyPrefix: z
      .string()
      .regex(KEY_PREFIX, 'letters, digits and . _ : - (at most 64), starting with a letter or digit')
      .optional()
      .describe('prefix of every key and pub/sub channel, so deployments can share one Redis'),
  })
  .strict()
  .describe('Redis, shared by every node of a broker cluster');

export const PersistenceConfigSchema = z.discriminatedUnion('type', [
  MemoryPersistenceSchema,
  DiskPersistenceSchema,
  JournalPersistenceSchema,
  RedisPersistenceSchema,
]);

export type PersistenceConfig = z.infer<typeof PersistenceConfigSchema>;
export type PersistenceConfigInput = z.input<typeof PersistenceConfigSchema>;
export type PersistenceType = PersistenceConfig['type'];
export type DiskPersistenceConfig = z.infer<typeof DiskPersistenceSchema>;
export type JournalPersistenceConfig = z.infer<typeof JournalPersistenceSchema>;
export type RedisPersistenceConfig = z.infer<typeof RedisPersistenceSchema>;

export const PERSISTENCE_TYPES: readonly PersistenceType[] = PersistenceConfigSchema.options.map(
  (option) => option.shape.type.value,
);
