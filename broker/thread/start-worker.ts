import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running `script`. Built, that is a .js file Node loads as it is. Run from the
 * sources (vitest, `node --import tsx`), it is a .ts file, and Node 20 hands neither the parent's
 * `--import tsx` nor its loader hooks on to a worker, so the thread registers tsx's loader itself
 * before it imports the script. tsx is a development dependency: only the sources take this path.
 */
export function startWorker(script: URL, options: WorkerOptions): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script, options);
  const bootstrap =
    "import('tsx/esm/api').then(({ register }) => { register(); " +
    `return import(${JSON.stringify(script.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The module `name` (without extension) beside `from`, as built (.js) or as a source (.ts) like `from` itself. */
export function besideModule(from: string, name: string): URL {
  const extension = from.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, from);
}
