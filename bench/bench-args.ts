import { parseArgs } from 'node:util';
import { z } from 'zod';

export interface BenchArgsSpec<Schema extends z.ZodType> {
  /** Validates and fills in defaults; its messages are what a wrong option is told. */
  schema: Schema;
  /** `--flag value` options: flag → the option it fills. */
  values: Readonly<Record<string, string>>;
  /** `--flag` switches besides `--json`, which every bench takes; each fills the option of its name. */
  switches?: readonly string[];
  /** The error a bench's main turns into its usage text. */
  usageError: (message: string) => Error;
}

/**
 * The command line of a bench script (argv without node and script), checked by its schema;
 * undefined when `--help` was asked for.
 */
export function parseBenchArgs<Schema extends z.ZodType>(
  argv: readonly string[],
  spec: BenchArgsSpec<Schema>,
): z.output<Schema> | undefined {
  const switches = ['json', ...(spec.switches ?? [])];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(switches.map((flag) => [flag, { type: 'boolean' }] as const)),
        ...Object.fromEntries(Object.keys(spec.values).map((flag) => [flag, { type: 'string' }] as const)),
      },
    });
  } catch (error) {
    throw spec.usageError((error as Error).message);
  }
  if (parsed.values.help === true) return undefined;
  const input: Record<string, unknown> = {};
  for (const flag of switches) input[flag] = parsed.values[flag] === true;
  for (const [flag, key] of Object.entries(spec.values)) {
    if (parsed.values[flag] !== undefined) input[key] = parsed.values[flag];
  }
  const result = spec.schema.safeParse(input);
  if (!result.success) throw spec.usageError(z.prettifyError(result.error));
  return result.data;
}
