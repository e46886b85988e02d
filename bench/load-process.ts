import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import type {
  LatencyResult,
  LoadCommand,
  LoadEvent,
  LoadWorkerData,
  ThroughputLimit,
  ThroughputResult,
} from './worker-messages.js';

export class LoadProcessError extends Error {
  readonly code = 'LOAD_PROCESS_FAILED';
  constructor(message: string) {
    super(`load process: ${message}`);
    this.name = 'LoadProcessError';
  }
}

type Listener = (event: LoadEvent) => void;

const READY_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * The bench's handle on the load generator, a child process of its own (load-worker.js): the gateway
 * clients stand in for other machines, so they share the CPUs with the system under test as any
 * process on the station server would, but not its memory (the bench reports the broker and ingest
 * process's peak RSS without them). Commands out, events in, failures as rejections.
 */
export class LoadProcess {
  private child: ChildProcess | undefined;
  private readonly listeners = new Set<Listener>();
  private failure: LoadProcessError | undefined;

  constructor(private readonly data: LoadWorkerData) {}

  async start(): Promise<void> {
    const child = fork(new URL('./load-worker.js', import.meta.url), [JSON.stringify(this.data)], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    child.on('message', (event: LoadEvent) => this.dispatch(event));
    child.on('error', (error) => this.fail(error.message));
    child.on('exit', (code, signal) => this.fail(`exited with ${signal ?? `code ${code}`}`));
    await this.next('ready', READY_TIMEOUT_MS, 'gateway clients did not connect');
  }

  /** The load process's id, for CPU accounting. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async throughput(limit: ThroughputLimit, onProgress: (acked: number) => void): Promise<ThroughputResult> {
    const listener: Listener = (event) => {
      if (event.type === 'progress') onProgress(event.acked);
    };
    this.listeners.add(listener);
    try {
      this.send({ type: 'throughput', limit });
      const done = await this.next('throughput-done');
      return done.result;
    } finally {
      this.listeners.delete(listener);
    }
  }

  async latency(
    seconds: number,
    rate: number,
    onSent: (gateway: string, time: number) => void,
  ): Promise<LatencyResult> {
    const listener: Listener = (event) => {
      if (event.type === 'sent') onSent(event.gateway, event.time);
    };
    this.listeners.add(listener);
    try {
      this.send({ type: 'latency', seconds, rate });
      const done = await this.next('latency-done');
      return done.result;
    } finally {
      this.listeners.delete(listener);
    }
  }

  /** Disconnects the clients cleanly, or kills the process when it does not answer. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    const exited = child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined;
    if (this.failure === undefined) {
      this.send({ type: 'close' });
      await this.next('closed', CLOSE_TIMEOUT_MS, 'clients did not close').catch(() => undefined);
    }
    this.failure ??= new LoadProcessError('stopped');
    this.child = undefined;
    child.kill();
    await exited;
  }

  private send(command: LoadCommand): void {
    if (this.failure) throw this.failure;
    this.child?.send(command);
  }

  private dispatch(event: LoadEvent): void {
    if (event.type === 'failed') this.fail(event.message);
    for (const listener of [...this.listeners]) listener(event);
  }

  private fail(message: string): void {
    if (this.failure) return;
    this.failure = new LoadProcessError(message);
    for (const listener of [...this.listeners]) listener({ type: 'failed', message });
  }

  /** The next event of a type; rejects on a failure of the thread or after `timeoutMs`. */
  private next<T extends LoadEvent['type']>(
    type: T,
    timeoutMs?: number,
    timeoutMessage = `no ${type} in time`,
  ): Promise<Extract<LoadEvent, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => finish(new LoadProcessError(timeoutMessage)), timeoutMs);
      const finish = (error: Error | undefined, event?: Extract<LoadEvent, { type: T }>): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        if (event !== undefined) resolve(event);
        else reject(error ?? this.failure);
      };
      const listener: Listener = (event) => {
        if (event.type === type) finish(undefined, event as Extract<LoadEvent, { type: T }>);
        else if (event.type === 'failed') finish(this.failure ?? new LoadProcessError(event.message));
      };
      this.listeners.add(listener);
    });
  }
}
