import type { Logger } from 'pino';

/** Anything long-lived the CLI runs: started in order, stopped in reverse. */
export interface Part {
  readonly name: string;
  start(): Promise<unknown>;
  stop(): Promise<void>;
  /**
   * Resolves when the part can no longer do its job and cannot mend itself: the process then stops
   * everything and exits non-zero, so a service manager starts it afresh.
   */
  readonly failed?: Promise<Error>;
}

type Ending = { signal: NodeJS.Signals } | { part: string; error: Error };

/** The first of SIGINT, SIGTERM or a part's failure. */
function ending(parts: readonly Part[]): Promise<Ending> {
  return new Promise((resolve) => {
    const end = (why: Ending) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(why);
    };
    const onSignal = (signal: NodeJS.Signals) => end({ signal });
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    for (const part of parts) void part.failed?.then((error) => end({ part: part.name, error }));
  });
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
 * exits at once. A part's failure stops them the same way, and the result is then 1.
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
  const why = await ending(parts);
  if ('signal' in why) logger.info({ signal: why.signal }, 'shutting down');
  else logger.error({ part: why.part, err: why.error }, 'a part failed for good; shutting down');
  const forceExit = () => process.exit(130);
  process.once('SIGINT', forceExit);
  process.once('SIGTERM', forceExit);
  const clean = await stopAll(started, logger);
  return clean && 'signal' in why ? 0 : 1;
}

/** Adapts a value with start()/stop() to a named part. */
export function part(name: string, target: { start(): Promise<unknown>; stop(): Promise<void> }): Part {
  return { name, start: () => target.start(), stop: () => target.stop() };
}
