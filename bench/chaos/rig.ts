import type { InfluxConnection } from '../../influx/index.js';
import type { GatewayAddress } from '../../protocol/index.js';
import type { ReadingKey } from './stored-readings.js';

/** One component under chaos, with everything around it running, and the publisher whose readings count. */
export interface ChaosRig {
  readonly address: GatewayAddress;
  /** How a stored row is matched with what was produced. */
  readonly key: ReadingKey;
  readonly influx: InfluxConnection;
  /** kill -9 of the component; resolves once it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same data and ports; resolves once it serves. */
  restart(): Promise<void>;
  /** Ends the load and resolves with the key of every reading produced. */
  stopLoad(): Promise<string[]>;
  /** Ends every process of the rig. */
  stop(): Promise<void>;
}

/** Releases what a rig started, last first, also when its start failed half-way. */
export class Teardown {
  private readonly steps: (() => Promise<unknown>)[] = [];

  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step().catch(() => undefined);
  }

  /** Runs `build`; if it fails, releases what it had started and rethrows. */
  async guard<T>(build: () => Promise<T>): Promise<T> {
    try {
      return await build();
    } catch (error) {
      await this.run();
      throw error;
    }
  }
}
