import type { EventLoopUtilization } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { MetricFamily, MetricSource } from '../../metrics/index.js';
import type { BrokerAddress } from '../broker-server.js';
import { type BrokerConfigInput, BrokerConfigSchema } from '../config.js';
import { besideModule, startWorker } from './start-worker.js';
import {
  type BrokerWorkerData,
  type FromBrokerWorker,
  fromThreadError,
  type ToBrokerWorker,
} from './thread-messages.js';
import { destinationOf } from './worker-log-stream.js';

export interface BrokerThreadOptions {
  config: BrokerConfigInput;
  /** The thread logs with this logger's level and bindings, through its destination. */
  logger: Logger;
  /** The thread's entry; broker-worker by default (a test gives one that fails on cue). */
  script?: URL;
}

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * A BrokerServer on a worker thread of this process: the broker and what else the process runs
 * (the ingest in `fieldstation up`) each get an event loop and a core, while a kill of the process
 * still ends them together. Its surface is the part of BrokerServer's that `up` needs.
 *
 * /metrics: collect() is synchronous and the broker's counters live in the thread, so collect()
 * answers with the families the thread last posted (on start and then every second), at most about
 * a second old.
 */
export class BrokerThread implements MetricSource {
  /** Resolves when the thread ends without stop() having asked it to: the broker is gone. */
  readonly failed: Promise<Error>;
  readonly #options: BrokerThreadOptions;
  readonly #pending = new Map<number, Pending>();
  #reportFailure: (error: Error) => void = () => {};
  #worker: Worker | undefined;
  #exited: Promise<void> = Promise.resolve();
  #families: readonly MetricFamily[] = [];
  #nextId = 0;
  #stopping = false;
  #failure: Error | undefined;
  #onStarted: ((address: BrokerAddress) => void) | undefined;
  #onStopped: (() => void) | undefined;

  constructor(options: BrokerThreadOptions) {
    this.#options = options;
    this.failed = new Promise((resolve) => {
      this.#reportFailure = resolve;
    });
  }

  /** Starts the thread and its broker; rejects with the broker's own error if it cannot listen. */
  start(): Promise<BrokerAddress> {
    const { logger } = this.#options;
    // Parsed here, so a bad config fails in the caller's thread with the caller's stack.
    const data: BrokerWorkerData = {
      config: BrokerConfigSchema.parse(this.#options.config),
      log: { level: logger.level, bindings: logger.bindings() },
    };
    const sink = destinationOf(logger);
    const worker = startWorker(this.#options.script ?? besideModule(import.meta.url, 'broker-worker'), {
      workerData: data,
    });
    this.#worker = worker;
    return new Promise<BrokerAddress>((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) {
          this.#fail(error);
          return;
        }
        settled = true;
        reject(error);
      };
      this.#onStarted = (address) => {
        settled = true;
        resolve(address);
      };
      worker.on('message', (message: FromBrokerWorker) => this.#receive(message, sink, fail));
      worker.on('error', (error) =>
        fail(new Error(`the broker thread failed: ${error.message}`, { cause: error })),
      );
      this.#exited = new Promise((exited) => {
        worker.once('exit', (code) => {
          this.#worker = undefined;
          this.#onStopped?.();
          if (!this.#stopping) {
            fail(new Error(`the broker thread exited (code ${code}) while the broker was to run`));
          }
          this.#rejectPending(new Error('the broker thread has ended'));
          exited();
        });
      });
    });
  }

  /** Applies the credentials file now, for a caller that has just changed it and cannot wait for the watcher. */
  reloadCredentials(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return Promise.reject(new Error('the broker thread is not running'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#post(worker, { type: 'reload', id });
    });
  }

  /** How busy the broker's event loop has been (since `since`); undefined while the thread is not running. */
  loopUtilization(since?: EventLoopUtilization): EventLoopUtilization | undefined {
    return this.#worker?.performance.eventLoopUtilization(since);
  }

  collect(): readonly MetricFamily[] {
    return this.#families;
  }

  /** Stops the broker (its listeners, sessions and store) and then the thread. */
  async stop(): Promise<void> {
    const worker = this.#worker;
    this.#stopping = true;
    if (worker === undefined) return this.#exited;
    const stopped = new Promise<void>((resolve) => {
      this.#onStopped = resolve;
    });
    this.#post(worker, { type: 'stop' });
    await stopped;
    // The broker is closed; whatever the thread still holds (a timer, a socket's last bytes) goes with it.
    await worker.terminate();
    await this.#exited;
  }

  #receive(
    message: FromBrokerWorker,
    sink: { write(line: string): void },
    fail: (error: Error) => void,
  ): void {
    switch (message.type) {
      case 'log':
        sink.write(message.line);
        return;
      case 'metrics':
        this.#families = message.families;
        return;
      case 'started':
        this.#families = message.families;
        this.#onStarted?.(message.address);
        return;
      case 'start-failed':
        this.#stopping = true;
        // The broker has released what it opened; the thread is not needed for anything more.
        void this.#worker?.terminate();
        fail(fromThreadError(message.error));
        return;
      case 'reloaded':
        this.#settle(message.id)?.resolve();
        return;
      case 'reload-failed':
        this.#settle(message.id)?.reject(fromThreadError(message.error));
        return;
      case 'stopped':
        this.#onStopped?.();
        return;
    }
  }

  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    return pending;
  }

  #rejectPending(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  /** The first failure is the one reported; the thread's exit that follows its error adds nothing. */
  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#options.logger.error({ err: error }, 'the broker thread failed');
    this.#reportFailure(error);
  }

  #post(worker: Worker, message: ToBrokerWorker): void {
    worker.postMessage(message);
  }
}
