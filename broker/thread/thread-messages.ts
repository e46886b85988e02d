import type { MetricFamily } from '../../metrics/index.js';
import type { BrokerAddress } from '../broker-server.js';
import type { BrokerConfig } from '../config.js';
import { BrokerError, type BrokerErrorCode } from '../errors.js';

/** What the broker's thread is started with; structured-cloneable, so no functions or class instances. */
export interface BrokerWorkerData {
  config: BrokerConfig;
  /** The parent's logger, so the thread's lines carry the same level and bindings (name and all). */
  log: { level: string; bindings: Record<string, unknown> };
}

/** From the parent to the thread. */
export type ToBrokerWorker =
  | { type: 'reload'; id: number }
  | { type: 'collect'; id: number }
  | { type: 'stop' };

/** A request that the thread answers with a reply of the same id. */
export type BrokerWorkerRequest = Extract<ToBrokerWorker, { id: number }>['type'];

/** An error crossing threads: the structured clone drops an error's own fields such as `code`. */
export interface ThreadError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

/** From the thread to the parent. */
export type FromBrokerWorker =
  | { type: 'started'; address: BrokerAddress }
  | { type: 'start-failed'; error: ThreadError }
  | { type: 'reloaded'; id: number }
  | { type: 'reload-failed'; id: number; error: ThreadError }
  | { type: 'families'; id: number; families: MetricFamily[] }
  | { type: 'log'; line: string }
  | { type: 'stopped' };

/** The thread's answer to a request. */
export type BrokerWorkerReply = Extract<FromBrokerWorker, { id: number }>;

export function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack === undefined ? {} : { stack: error.stack }),
  };
}

/** The error again on this side: a BrokerError keeps its code, so callers can still tell failures apart. */
export function fromThreadError(error: ThreadError): Error {
  const rebuilt =
    error.name === 'BrokerError' && error.code !== undefined
      ? new BrokerError(error.code as BrokerErrorCode, error.message)
      : Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}
