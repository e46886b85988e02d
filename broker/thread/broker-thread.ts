import type { EventLoopUtilization } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { MetricFamily, MetricSource } from '../../metrics/index.js';
import type { BrokerAddress } from '../broker-server.js';
import { type BrokerConfigInput, BrokerConfigSchema } from '../config.js';
import { besideModule, startWorker } from './start-worker.js';
import {
  type BrokerWorkerData,
  type BrokerWorkerReply,
  type BrokerWorkerRequest,
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
  resolve: (reply: BrokerWorkerReply) => void;
  reject: (error: Error) => void;
}

/**
 * A BrokerServer on a worker thread of this process: the broker and what else the process runs
 * (the ingest in `fieldstation up`) each get an event loop and a core, while a kill of the process
 * still ends them together. Its surface is the part of BrokerServer's that `up` needs.
 * Its metrics are asked of the thread at each collect(), so a scrape shows the counters of the moment.
 */
export class BrokerThread implements MetricSource {
  /** Resolves when the thread ends without stop() having asked it to: the broker is gone. */
  readonly failed: Promise<Error>;
  readonly #options: BrokerThreadOptions;
  readonly #pending = new Map<number, Pending>();
  #reportFailure: (error: Error) => void = () => {};
  #worker: Worker | undefined;
  #exited: Promise<void> = Promise.resolve();
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
          if (!settled) fail(new Error(`the broker thread ended (code ${code}) before the broker started`));
          else if (!this.#stopping)
            fail(new Error(`the broker thread exited (code ${code}) while the broker ran`));
          this.#rejectPending(new Error('the broker thread has ended'));
          exited();
        });
      });
    });
  }

  /** Applies the credentials file now, for a caller that has just changed it and cannot wait for the watcher. */
  async reloadCredentials(): Promise<void> {
    const reply = await this.#ask('reload');
    if (reply.type === 'reload-failed') throw fromThreadError(reply.error);
  }

  /** How busy the broker's event loop has been (since `since`); undefined while the thread is not running. */
  loopUtilization(since?: EventLoopUtilization): EventLoopUtilization | undefined {
    return this.#worker?.performance.eventLoopUtilization(since);
  }

  /** The broker's families as they are now; none once the thread has ended (`up` is then stopping). */
  async collect(): Promise<readonly MetricFamily[]> {
    if (this.#worker === undefined) return [];
    const reply = await this.#ask('collect');
    return reply.type === 'families' ? reply.families : [];
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
      case 'started':
        this.#onStarted?.(message.address);
        return;
      case 'start-failed':
        this.#stopping = true;
        // The broker has released what it opened; the thread is not needed for anything more.
        void this.#worker?.terminate();
        fail(fromThreadError(message.error));
        return;
      case 'reloaded':
      case 'reload-failed':
      case 'families':
        this.#answer(message);
        return;
      case 'stopped':
        this.#onStopped?.();
        return;
    }
  }

  #ask(type: BrokerWorkerRequest): Promise<BrokerWorkerReply> {
    const worker = this.#worker;
    if (worker === undefined) return Promise.reject(new Error('the broker thread is not running'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#post(worker, { type, id });
    });
  }

  #answer(reply: BrokerWorkerReply): void {
    this.#pending.get(reply.id)?.resolve(reply);
    this.#pending.delete(reply.id);
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
