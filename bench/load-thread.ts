import { once } from 'node:events';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type {
  LatencyResult,
  LoadCommand,
  LoadEvent,
  LoadWorkerData,
  ThroughputLimit,
  ThroughputResult,
} from './worker-messages.js';

export class LoadThreadError extends Error {
  readonly code = 'LOAD_THREAD_FAILED';
  constructor(message: string) {
    super(`load thread: ${message}`);
    this.name = 'LoadThreadError';
  }
}

type Listener = (event: LoadEvent) => void;

const READY_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 5_000;

/** The main thread's handle on the load worker: commands out, events in, failures as rejections. */
export class LoadThread {
  private worker: Worker | undefined;
  private readonly listeners = new Set<Listener>();
  private failure: LoadThreadError | undefined;

  constructor(private readonly data: LoadWorkerData) {}

  async start(): Promise<void> {
    const worker = new Worker(new URL('./load-worker.js', import.meta.url), { workerData: this.data });
    this.worker = worker;
    worker.on('message', (event: LoadEvent) => this.dispatch(event));
    worker.on('error', (error) => this.fail(error.message));
    worker.on('exit', (code) => this.fail(`exited with code ${code}`));
    await this.next('ready', READY_TIMEOUT_MS, 'gateway clients did not connect');
  }

  /** Event-loop utilisation of the load thread since `since` (or since it started). */
  utilization(since?: EventLoopUtilization): EventLoopUtilization | undefined {
    return this.worker?.performance.eventLoopUtilization(since);
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

  /** Disconnects the clients cleanly, or terminates the thread when it does not answer. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    const exited = once(worker, 'exit');
    if (this.failure === undefined) {
      this.send({ type: 'close' });
      await this.next('closed', CLOSE_TIMEOUT_MS, 'clients did not close').catch(() => undefined);
    }
    this.failure ??= new LoadThreadError('stopped');
    this.worker = undefined;
    await worker.terminate();
    await exited;
  }

  private send(command: LoadCommand): void {
    if (this.failure) throw this.failure;
    this.worker?.postMessage(command);
  }

  private dispatch(event: LoadEvent): void {
    if (event.type === 'failed') this.fail(event.message);
    for (const listener of [...this.listeners]) listener(event);
  }

  private fail(message: string): void {
    if (this.failure) return;
    this.failure = new LoadThreadError(message);
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
          : setTimeout(() => finish(new LoadThreadError(timeoutMessage)), timeoutMs);
      const finish = (error: Error | undefined, event?: Extract<LoadEvent, { type: T }>): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        if (event !== undefined) resolve(event);
        else reject(error ?? this.failure);
      };
      const listener: Listener = (event) => {
        if (event.type === type) finish(undefined, event as Extract<LoadEvent, { type: T }>);
        else if (event.type === 'failed') finish(this.failure ?? new LoadThreadError(event.message));
      };
      this.listeners.add(listener);
    });
  }
}
