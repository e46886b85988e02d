import type { Logger } from 'pino';

/** Anything long-lived the CLI runs: started in order, stopped in reverse. */
export interface Part {
  readonly name: string;
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

async function stopAll(parts: readonly Part[], logger: Logger): Promise<boolean> {
  let clean = true;
  for (const part of [...parts].reverse()) {
    try {
      await part.stop();
      logger.info({ part: part.name }, 'stopped');
    } catch (error) {
      clean = false;
      logger.error({ part: part.name, err: error }, 'stop failed');
    }
  }
  return clean;
}

/**
 * Starts the parts and runs until SIGINT or SIGTERM, then stops them in reverse order so each can
 * flush (the gateway its batch into the outbox, the ingest the message in hand). A second signal
 * exits at once.
 */
export async function runUntilSignal(parts: readonly Part[], logger: Logger): Promise<number> {
  const started: Part[] = [];
  try {
    for (const part of parts) {
      await part.start();
      started.push(part);
    }
  } catch (error) {
    await stopAll(started, logger);
    throw error;
  }
  logger.info({ parts: parts.map((part) => part.name) }, 'running; stop with Ctrl-C or SIGTERM');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info({ signal }, 'shutting down');
  const forceExit = () => process.exit(130);
  process.once('SIGINT', forceExit);
  process.once('SIGTERM', forceExit);
  const clean = await stopAll(started, logger);
  return clean ? 0 : 1;
}

/** Adapts a value with start()/stop() to a named part. */
export function part(name: string, target: { start(): Promise<unknown>; stop(): Promise<void> }): Part {
  return { name, start: () => target.start(), stop: () => target.stop() };
}
