import { setTimeout as sleep } from 'node:timers/promises';
import { connectAsync, type MqttClient } from 'mqtt';
import {
  DELIVERY,
  type GatewayAddress,
  MESSAGE_KINDS,
  type ReadingsBatchInput,
} from '../../protocol/index.js';

export interface LoadShape {
  readingsPerBatch: number;
  /** Pause after each PUBACK: a steady stream that leaves the machine's two cores to the parts under test. */
  intervalMs: number;
}

export const CHAOS_LOAD: LoadShape = { readingsPerBatch: 20, intervalMs: 2 };

// A week ago, on the hour: inside the window of sample times the ingest accepts, with room for the run.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 7 * 86_400_000;
const SENSORS = ['chaos-t-1', 'chaos-t-2', 'chaos-t-3', 'chaos-t-4'] as const;

/** Reading `i` of batch `seq` carries its index over the run as value and one second per index as time. */
function chaosBatch(seq: number, readingsPerBatch: number): ReadingsBatchInput {
  return {
    v: 1,
    seq,
    readings: Array.from({ length: readingsPerBatch }, (_, i) => {
      const value = (seq - 1) * readingsPerBatch + i;
      return {
        sensor: SENSORS[i % SENSORS.length] ?? 'chaos-t-1',
        quantity: 'temperature',
        unit: 'Cel',
        value,
        time: T0 + value * 1000,
        qc: 1,
      };
    }),
  };
}

/**
 * A gateway as the broker sees it, publishing one QoS 1 batch after the other, each with values no
 * other batch has. A batch is produced once the broker acknowledged it (PUBACK), when a real gateway
 * drops it from its outbox. It outlives broker restarts: MQTT.js keeps an unacknowledged publish and
 * sends it again after reconnecting, with the same persistent session.
 */
export class LoadPublisher {
  private acknowledged = 0;
  private stopping = false;
  private readonly finished: Promise<void>;

  private constructor(
    private readonly client: MqttClient,
    private readonly topic: string,
    private readonly shape: LoadShape,
  ) {
    this.finished = this.run();
    this.finished.catch(() => undefined);
  }

  static async start(
    url: string,
    credentials: { username: string; password: string },
    address: GatewayAddress,
    shape: LoadShape = CHAOS_LOAD,
  ): Promise<LoadPublisher> {
    const client = await connectAsync(url, {
      ...credentials,
      clientId: `${address.station}.${address.gateway}`,
      protocolVersion: 4,
      clean: false,
      reconnectPeriod: 200,
      connectTimeout: 5000,
    });
    // Refused connections while the broker is down are expected; MQTT.js retries by itself.
    client.on('error', () => undefined);
    return new LoadPublisher(client, MESSAGE_KINDS.readings.topic(address), shape);
  }

  private async run(): Promise<void> {
    for (let seq = 1; !this.stopping; seq++) {
      const payload = JSON.stringify(chaosBatch(seq, this.shape.readingsPerBatch));
      await this.client.publishAsync(this.topic, payload, DELIVERY.readings);
      this.acknowledged = seq;
      await sleep(this.shape.intervalMs);
    }
  }

  /** Keys (the values as text) of every reading in every acknowledged batch. */
  produced(): string[] {
    return Array.from({ length: this.acknowledged * this.shape.readingsPerBatch }, (_, value) =>
      String(value),
    );
  }

  /** Ends the stream once the publish in hand is acknowledged, then disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.finished;
    await this.client.endAsync();
  }

  /** For a rig torn down after a failure: disconnects now, without waiting for a PUBACK. */
  async abort(): Promise<void> {
    this.stopping = true;
    await this.client.endAsync(true);
  }
}
