import { setTimeout as sleep } from 'node:timers/promises';
import { connectAsync, type MqttClient } from 'mqtt';
import type { IssuedCredentials } from '../../../broker/index.js';
import { type GatewayAddress, gatewayTopic, type ReadingsBatchInput } from '../../../protocol/index.js';

export interface LoadOptions {
  batches: number;
  readingsPerBatch: number;
  /** Pause between one PUBACK and the next publish: the stream's pace, so a crash lands mid-stream. */
  intervalMs: number;
}

// Two days ago, on the hour: inside the window of sample times the ingest accepts, whenever the test runs.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 86_400_000;
const SENSORS = ['load-t-1', 'load-t-2', 'load-t-3', 'load-t-4'] as const;

/**
 * Reading `i` of batch `seq` carries its own index over the whole run as value, and one second per
 * index as time: every reading is a distinct point, and a set of values shows any loss or doubling.
 */
export function readingValue(seq: number, i: number, readingsPerBatch: number): number {
  return (seq - 1) * readingsPerBatch + i;
}

export function loadBatch(seq: number, readingsPerBatch: number): ReadingsBatchInput {
  return {
    v: 1,
    seq,
    readings: Array.from({ length: readingsPerBatch }, (_, i) => {
      const value = readingValue(seq, i, readingsPerBatch);
      return {
        sensor: SENSORS[i % SENSORS.length] ?? 'load-t-1',
        quantity: 'temperature',
        unit: 'Cel',
        value,
        time: T0 + value * 1000,
        qc: 1,
      };
    }),
  };
}

interface Waiter {
  count: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * A gateway as the broker sees it: its own account, QoS 1, `seq` increasing by one per batch, a
 * steady stream. A batch counts as produced once the broker has acknowledged it (PUBACK), which is
 * when a real gateway removes it from its outbox.
 */
export class GatewayLoad {
  /** Batches the broker has acknowledged, in order: 1..published. */
  published = 0;
  readonly finished: Promise<void>;
  private readonly waiters = new Set<Waiter>();
  private stopping = false;
  private failure: Error | undefined;
  private pause: { after: number; until: Promise<void> } | undefined;

  private constructor(
    private readonly client: MqttClient,
    private readonly topic: string,
    private readonly options: LoadOptions,
  ) {
    this.finished = this.run();
    // The failure reaches the test through `finished` or `untilPublished`; never unhandled.
    this.finished.catch(() => undefined);
  }

  static async start(
    url: string,
    credentials: IssuedCredentials,
    address: GatewayAddress,
    options: LoadOptions,
  ): Promise<GatewayLoad> {
    const client = await connectAsync(url, {
      ...credentials,
      clientId: `${address.station}.${address.gateway}`,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    client.on('error', () => undefined);
    return new GatewayLoad(client, gatewayTopic(address, 'readings'), options);
  }

  private async run(): Promise<void> {
    const { batches, readingsPerBatch, intervalMs } = this.options;
    try {
      for (let seq = 1; seq <= batches && !this.stopping; seq++) {
        await this.client.publishAsync(this.topic, JSON.stringify(loadBatch(seq, readingsPerBatch)), {
          qos: 1,
        });
        this.published = seq;
        this.notify();
        if (this.pause?.after === seq) await this.pause.until;
        await sleep(intervalMs);
      }
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw this.failure;
    } finally {
      this.settleWaiters();
    }
  }

  private notify(): void {
    for (const waiter of this.waiters) {
      if (this.published < waiter.count) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters) {
      const reason = this.failure ?? new Error(`the load ended at batch ${this.published}`);
      waiter.reject(new Error(`batch ${waiter.count} was never published: ${reason.message}`));
    }
    this.waiters.clear();
  }

  /**
   * Publishes nothing after batch `after` until the returned function is called: a test that must
   * act before the stream ends (a kill mid-stream) can, however slowly its checks run.
   */
  pauseAfter(after: number): () => void {
    let resume = () => {};
    this.pause = { after, until: new Promise<void>((resolve) => (resume = resolve)) };
    return () => resume();
  }

  /** Resolves once the broker has acknowledged `count` batches; rejects if the stream ends first. */
  untilPublished(count: number): Promise<void> {
    if (this.published >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.add({ count, resolve, reject });
    });
  }

  get readingsPublished(): number {
    return this.published * this.options.readingsPerBatch;
  }

  /** The value of every reading in every acknowledged batch, ascending. */
  publishedValues(): number[] {
    const { readingsPerBatch } = this.options;
    return Array.from({ length: this.published }, (_, i) =>
      loadBatch(i + 1, readingsPerBatch).readings.map((reading) => reading.value),
    ).flat();
  }

  /** Ends the stream (after the publish in hand) and disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.finished.catch(() => undefined);
    await this.client.endAsync(true);
  }
}
