import { z } from 'zod';
import { parseBenchArgs } from './bench-args.js';
import { BenchUsageError } from './options.js';

export const GatewayMemoryOptionsSchema = z.object({
  seconds: z.coerce.number().int().min(5).max(86_400).default(600),
  /** Node.js options to try instead of the ones the gateway's systemd unit sets; '' runs without any. */
  nodeFlags: z
    .string()
    .transform((flags) => flags.split(/\s+/).filter((flag) => flag !== ''))
    .pipe(z.array(z.string().startsWith('--', 'each Node.js option starts with --')))
    .optional(),
  json: z.boolean().default(false),
});

export type GatewayMemoryOptions = z.output<typeof GatewayMemoryOptionsSchema>;

export const GATEWAY_MEMORY_USAGE = `npm run bench:gateway-memory -- [options]      (or: node dist/bench/gateway-memory.js [options])

Runs each reference gateway of config/ as its own \`fieldstation gateway\` process, started as its
systemd unit starts it (the same Node.js options), against its emulated instruments
and a broker in this process, and samples its memory from /proc every second. Goal: under 60 MB
resident at the end.

  --seconds N         how long the gateways run (default 600, at least 5)
  --node-flags=F      Node.js options to try instead of the unit's (= for none), e.g. --node-flags="--lite-mode"
  --json              print the results as one JSON document instead of text
  -h, --help          this text`;

/** Parses argv (without node and script); returns undefined when help was asked for. */
export function parseGatewayMemoryOptions(argv: readonly string[]): GatewayMemoryOptions | undefined {
  return parseBenchArgs(argv, {
    schema: GatewayMemoryOptionsSchema,
    values: { seconds: 'seconds', 'node-flags': 'nodeFlags' },
    usageError: (message) => new BenchUsageError(message),
  });
}
