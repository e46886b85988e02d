import type { OptionSpec } from './options.js';

// Apart from option-sets.ts, whose broker and InfluxDB option schemas would load Aedes, ioredis and
// the InfluxDB client into a gateway that only needs a log level.
export const LOG_OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'log-level',
    env: 'FS_LOG_LEVEL',
    kind: 'string',
    default: 'info',
    description: 'fatal … trace, or silent',
  },
];
