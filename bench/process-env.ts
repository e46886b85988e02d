import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { BROKER_PROCESS_ENV } from '../broker/index.js';
import type { ProcessEnv } from './options.js';

/** BROKER_PROCESS_ENV's variables as `env` has them, `NAME=value`; absent ones are left out. */
export function brokerEnvInEffect(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.keys(BROKER_PROCESS_ENV).flatMap((name) =>
    env[name] === undefined ? [] : [`${name}=${env[name]}`],
  );
}

/** `env` with BROKER_PROCESS_ENV set (`product`) or removed (`bare`). */
function wantedEnv(choice: ProcessEnv, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (choice === 'product') return { ...env, ...BROKER_PROCESS_ENV };
  return Object.fromEntries(Object.entries(env).filter(([name]) => !(name in BROKER_PROCESS_ENV)));
}

/** Whether this process already runs under what `choice` asks for. */
export function runsUnder(choice: ProcessEnv, env: NodeJS.ProcessEnv = process.env): boolean {
  const wanted = wantedEnv(choice, env);
  return Object.keys(BROKER_PROCESS_ENV).every((name) => wanted[name] === env[name]);
}

/**
 * Runs this script again, with the same arguments, in a child under the environment `choice` asks
 * for, and resolves to its exit code. glibc reads its malloc settings once, when a process starts,
 * so the process that runs the broker and the ingest must be started with them, as `up` is.
 * SIGINT and SIGTERM are passed on; the child stops its parts and exits.
 */
export async function rerunUnder(choice: ProcessEnv, argv: readonly string[]): Promise<number> {
  const script = process.argv[1];
  if (script === undefined) throw new Error('cannot start the bench again: no script path in process.argv');
  const child = spawn(process.execPath, [...process.execArgv, script, ...argv], {
    env: wantedEnv(choice, process.env),
    stdio: 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    return code ?? (signal === 'SIGINT' ? 130 : 1);
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}
