import type { Logger } from 'pino';
import { type Part, runUntilSignal } from './lifecycle.js';
import { createLogger } from './logger.js';
import {
  formatHelp,
  type OptionSpec,
  type OptionValue,
  parseCommandLine,
  requiredString,
} from './options.js';

export interface ServiceCommandDefinition {
  /** The logger's name. */
  name: string;
  usage: string;
  summary: string;
  /** Must include `log-level`. */
  options: readonly OptionSpec[];
  /** Builds the long-lived parts from the parsed options; they are started in order. */
  build(values: Record<string, OptionValue>, logger: Logger): Promise<readonly Part[]> | readonly Part[];
}

/** A command that runs until SIGINT/SIGTERM: `--help`, option parsing and lifecycle in one place. */
export function serviceCommand(
  definition: ServiceCommandDefinition,
): (argv: readonly string[]) => Promise<number> {
  return async (argv) => {
    const { values, help } = parseCommandLine(definition.options, argv, process.env);
    if (help) {
      process.stdout.write(formatHelp(definition.usage, definition.summary, definition.options));
      return 0;
    }
    const logger = createLogger(requiredString(values, 'log-level'), definition.name);
    return runUntilSignal(await definition.build(values, logger), logger);
  };
}
