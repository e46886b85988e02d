// How a process that runs the broker (`fieldstation up`, `fieldstation broker`) should be started:
// `npm start` and `npm run demo` set this, the pipeline bench runs under it, and both commands warn
// when it is missing. The figures are in the README's bench section.

/**
 * Environment of a broker's process. The broker checks each CONNECT's secret with scrypt
 * (N = 2^14, r = 8), which takes a 16 MiB buffer from malloc on a libuv pool thread. glibc serves
 * the first such buffer with mmap, and on its free raises its mmap threshold to 16 MiB (and its trim
 * threshold to 32 MiB): every later scrypt buffer then comes from the pool thread's own arena and
 * stays resident once freed, 16 MiB for each of the four pool threads. Fixing the threshold keeps
 * scrypt's buffers in mmap, returned to the system when freed: about 50-65 MiB less peak RSS in the
 * one-reading pipeline bench, with no throughput change we could measure. 4 MiB leaves everything
 * smaller in the arenas, as glibc's own adjustment would, so only the scrypt buffers change path.
 * glibc reads it once at start-up, so only the environment the process starts with can set it.
 */
export const BROKER_PROCESS_ENV: Readonly<Record<string, string>> = Object.freeze({
  MALLOC_MMAP_THRESHOLD_: String(4 * 1024 * 1024),
});

/** The settings of BROKER_PROCESS_ENV that `env` lacks or sets otherwise, as `NAME=value`. */
export function missingBrokerProcessEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(BROKER_PROCESS_ENV)
    .filter(([name, value]) => env[name] !== value)
    .map(([name, value]) => `${name}=${value}`);
}
