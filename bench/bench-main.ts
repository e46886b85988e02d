/**
 * Runs a bench script's `main` on its command-line arguments: the code it resolves to becomes the
 * exit code (through `exit`, for a script that must make sure the process ends), and a throw is
 * printed with its stack as `<name> failed: …` and exits 1.
 */
export function runBenchMain(
  name: string,
  main: (argv: readonly string[]) => Promise<number>,
  exit: (code: number) => void = (code) => {
    process.exitCode = code;
  },
): void {
  main(process.argv.slice(2)).then(exit, (error: unknown) => {
    process.stderr.write(
      `${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
