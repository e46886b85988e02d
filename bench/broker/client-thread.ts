import { once } from 'node:events';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { ClientCommand, ClientEvent, ClientWorkerData } from './messages.js';

export class ClientThreadError extends Error {
  readonly code = 'CLIENT_THREAD_FAILED';
  constructor(role: string, message: string) {
    super(`${role} thread: ${message}`);
    this.name = 'ClientThreadError';
  }
}

const READY_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 5_000;

type EventOf<T extends ClientEvent['type']> = Extract<ClientEvent, { type: T }>;

/** The main thread's handle on one client worker: commands out, the next event of a kind in. */
export class ClientThread {
  readonly #data: ClientWorkerData;
  readonly #listeners = new Set<(event: ClientEvent) => void>();
  #worker: Worker | undefined;
  #exited: Promise<unknown> | undefined;
  #failure: ClientThreadError | undefined;

  constructor(data: ClientWorkerData) {
    this.#data = data;
  }

  async start(): Promise<void> {
    const worker = new Worker(new URL('./client-worker.js', import.meta.url), { workerData: this.#data });
    this.#worker = worker;
    this.#exited = once(worker, 'exit');
    worker.on('message', (event: ClientEvent) => this.#dispatch(event));
    worker.on('error', (error) => this.#fail(error.message));
    worker.on('exit', (code) => this.#fail(`exited with code ${code}`));
    await this.next('ready', READY_TIMEOUT_MS);
  }

  utilization(since?: EventLoopUtilization): EventLoopUtilization | undefined {
    return this.#worker?.performance.eventLoopUtilization(since);
  }

  send(command: ClientCommand): void {
    if (this.#failure) throw this.#failure;
    this.#worker?.postMessage(command);
  }

  /** The next event of a type; rejects when the thread fails or after `timeoutMs`. */
  next<T extends ClientEvent['type']>(type: T, timeoutMs?: number): Promise<EventOf<T>> {
    return new Promise((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => finish(new ClientThreadError(this.#data.role, `no ${type} in time`)), timeoutMs);
      const finish = (error: Error | undefined, event?: EventOf<T>): void => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
        if (event !== undefined) resolve(event);
        else reject(error);
      };
      const listener = (event: ClientEvent): void => {
        if (event.type === type) finish(undefined, event as EventOf<T>);
        else if (event.type === 'failed')
          finish(this.#failure ?? new ClientThreadError(this.#data.role, event.message));
      };
      this.#listeners.add(listener);
    });
  }

  /** Disconnects the clients cleanly, or terminates the thread when it does not answer. */
  async stop(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#worker = undefined;
    if (this.#failure === undefined) {
      worker.postMessage({ type: 'close' } satisfies ClientCommand);
      await this.next('closed', CLOSE_TIMEOUT_MS).catch(() => undefined);
    }
    this.#failure ??= new ClientThreadError(this.#data.role, 'stopped');
    await worker.terminate();
    await this.#exited;
  }

  #dispatch(event: ClientEvent): void {
    if (event.type === 'failed') this.#fail(event.message);
    else for (const listener of [...this.#listeners]) listener(event);
  }

  #fail(message: string): void {
    if (this.#failure) return;
    this.#failure = new ClientThreadError(this.#data.role, message);
    for (const listener of [...this.#listeners]) listener({ type: 'failed', message });
  }
}
