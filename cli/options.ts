import { parseArgs } from 'node:util';

/** 'strings' is a string option that may be given more than once (`--publish a --publish b`). */
export type OptionKind = 'string' | 'strings' | 'port' | 'seconds' | 'boolean';

/** One command-line option and the environment variable that sets the same thing. */
export interface OptionSpec {
  flag: string;
  env?: string;
  kind: OptionKind;
  description: string;
  default?: string;
}

export type OptionValue = string | readonly string[] | number | boolean | undefined;

export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function convert(spec: OptionSpec, raw: string | boolean, source: string): OptionValue {
  if (spec.kind === 'boolean') return raw === true || raw === 'true' || raw === '1';
  if (typeof raw !== 'string') throw new UsageError(`${source} needs a value`);
  if (spec.kind === 'strings') return [raw];
  if (spec.kind === 'port') {
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(`${source} must be a TCP port number (0-65535), got "${raw}"`);
    }
    return port;
  }
  if (spec.kind === 'seconds') {
    const seconds = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
      throw new UsageError(`${source} must be a positive number of seconds, got "${raw}"`);
    }
    return seconds;
  }
  return raw;
}

export interface ParsedCommandLine {
  values: Record<string, OptionValue>;
  positionals: string[];
  help: boolean;
}

/** Flags win over environment variables, which win over defaults. Pure: argv and env are passed in. */
export function parseCommandLine(
  specs: readonly OptionSpec[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(
          specs.map(
            (spec) =>
              [
                spec.flag,
                { type: spec.kind === 'boolean' ? 'boolean' : 'string', multiple: spec.kind === 'strings' },
              ] as const,
          ),
        ),
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values: Record<string, OptionValue> = {};
  for (const spec of specs) {
    const fromFlag = parsed.values[spec.flag];
    const fromEnv = spec.env === undefined ? undefined : env[spec.env];
    if (Array.isArray(fromFlag)) {
      values[spec.flag] = fromFlag.filter((value): value is string => typeof value === 'string');
    } else if (fromFlag !== undefined && typeof fromFlag !== 'object') {
      values[spec.flag] = convert(spec, fromFlag, `--${spec.flag}`);
    } else if (fromEnv !== undefined && fromEnv !== '') {
      values[spec.flag] = convert(spec, fromEnv, spec.env ?? spec.flag);
    } else if (spec.default !== undefined) {
      values[spec.flag] = convert(spec, spec.default, `default of --${spec.flag}`);
    }
  }
  return { values, positionals: parsed.positionals, help: parsed.values.help === true };
}

export function formatHelp(usage: string, summary: string, specs: readonly OptionSpec[]): string {
  const rows = specs.map((spec) => {
    const value = { boolean: '', strings: ' VALUE …', string: ' VALUE', port: ' VALUE', seconds: ' VALUE' }[
      spec.kind
    ];
    const flag = `--${spec.flag}${value}`;
    const env = spec.env ?? '';
    const fallback = spec.default === undefined ? '' : ` (default: ${spec.default})`;
    return `  ${flag.padEnd(30)} ${env.padEnd(24)} ${spec.description}${fallback}`;
  });
  return [`Usage: ${usage}`, '', summary, '', 'Options (flag, environment variable):', ...rows, ''].join(
    '\n',
  );
}

export function stringOption(values: Record<string, OptionValue>, flag: string): string | undefined {
  const value = values[flag];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable option's values, in the order given; undefined when it was not given. */
export function stringsOption(values: Record<string, OptionValue>, flag: string): string[] | undefined {
  const value = values[flag];
  return Array.isArray(value) ? [...value] : undefined;
}

/** A string option that must be set; its help line names the environment variable too. */
export function requiredString(values: Record<string, OptionValue>, flag: string): string {
  const value = stringOption(values, flag);
  if (value === undefined) throw new UsageError(`--${flag} is required (see --help for its FS_ variable)`);
  return value;
}

/** A `seconds` option, in milliseconds as the code below the command line counts time. */
export function millisecondsOption(values: Record<string, OptionValue>, flag: string): number {
  const value = values[flag];
  if (typeof value !== 'number') throw new UsageError(`--${flag} must be a number of seconds`);
  return Math.round(value * 1000);
}

export function portOption(values: Record<string, OptionValue>, flag: string): number {
  const value = values[flag];
  if (typeof value !== 'number') throw new UsageError(`--${flag} must be a port number`);
  return value;
}
