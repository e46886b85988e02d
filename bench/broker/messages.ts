import type { Qos } from './options.js';

/** How one client connects; the same for every broker, so each sees the same CONNECT packets. */
export interface ClientLogin {
  clientId: string;
  username: string;
  password: string;
}

export interface PublisherSpec extends ClientLogin {
  topic: string;
}

export type ClientWorkerData =
  | {
      role: 'publishers';
      url: string;
      qos: Qos;
      window: number;
      payload: string;
      publishers: PublisherSpec[];
    }
  | { role: 'subscriber'; url: string; qos: Qos; filter: string; login: ClientLogin };

export type ClientCommand =
  /** Publishers: publish as fast as the window allows until this epoch ms. */
  | { type: 'publish'; untilAt: number }
  /** Subscriber: count what arrives between these two epoch ms. */
  | { type: 'measure'; startAt: number; endAt: number }
  /** Subscriber: wait until `expected` messages arrived, or none for `quietMs`, or `timeoutMs` passed. */
  | { type: 'drain'; expected: number; quietMs: number; timeoutMs: number }
  | { type: 'close' };

export interface PublishedResult {
  sent: number;
  /** QoS 1: PUBACKs received; QoS 0: writes the socket took. */
  acked: number;
}

export interface MeasuredResult {
  received: number;
  ms: number;
}

export type ClientEvent =
  | { type: 'ready' }
  | { type: 'published'; result: PublishedResult }
  | { type: 'measured'; result: MeasuredResult }
  | { type: 'drained'; received: number }
  | { type: 'closed' }
  | { type: 'failed'; message: string };
