// The two persistence packages ship no typings; these describe only what broker/persistence/ calls.

declare module 'aedes-persistence-level' {
  /** Stores sessions, queues and retained messages in an open abstract-level database. */
  export default function levelPersistence(db: object): object;
}

declare module 'aedes-persistence-redis' {
  import type { Redis } from 'ioredis';

  /** Stores sessions, queues and retained messages in Redis through the given connection. */
  export default function redisPersistence(options: { conn: Redis }): object;
}
