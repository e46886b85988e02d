import { ZodError } from 'zod';
import { UsageError } from './options.js';

/** One line (or a few) a person can act on: the error's code, what went wrong, and a hint where we know one. */
function describeFailure(error: unknown): string {
  if (error instanceof UsageError) return `usage: ${error.message}`;
  if (error instanceof ZodError) {
    const issues = error.issues.map((issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`);
    return `invalid settings (see --help):\n  ${issues.join('\n  ')}`;
  }
  const coded = error as { code?: unknown; message?: unknown };
  const prefix = typeof coded.code === 'string' ? coded.code : 'error';
  const hint =
    coded.code === 'EADDRINUSE'
      ? '\nAnother process listens on that port (a system mosquitto or influxd?); pick another with --mqtt-port/--http-port or FS_MQTT_PORT/FS_HTTP_PORT.'
      : '';
  return `${prefix}: ${String(coded.message ?? error)}${hint}`;
}

/**
 * Runs a program's main with this process's arguments and turns its outcome into the exit code:
 * 2 for a usage or settings error, 1 for any other failure, described on stderr.
 */
export function runMain(main: (argv: readonly string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`fieldstation: ${describeFailure(error)}\n`);
      process.exitCode = error instanceof UsageError || error instanceof ZodError ? 2 : 1;
    },
  );
}
