import mqtt, { type MqttClient } from 'mqtt';
import { DELIVERY, gatewayTopic } from '../protocol/index.js';
import { BENCH_STATION } from './batches.js';

export interface BenchGatewayOptions {
  mqttUrl: string;
  gateway: string;
  username: string;
  password: string;
  /** Called once if the connection drops while the benchmark still needs it. */
  onLost: (message: string) => void;
}

/**
 * One load-generating gateway: a real broker account publishing protocol batches on its own
 * readings topic with QoS 1. It numbers its messages like a gateway does (seq from 1, +1 each).
 */
export class BenchGateway {
  readonly topic: string;
  private client: MqttClient | undefined;
  private closing = false;
  private seq = 0;

  constructor(private readonly options: BenchGatewayOptions) {
    this.topic = gatewayTopic({ station: BENCH_STATION, gateway: options.gateway }, 'readings');
  }

  get gateway(): string {
    return this.options.gateway;
  }

  async connect(): Promise<void> {
    const { options } = this;
    const client = await mqtt.connectAsync(options.mqttUrl, {
      protocolVersion: 4,
      clientId: options.username,
      username: options.username,
      password: options.password,
      clean: true,
      // A reconnect would hide a broken run: the benchmark fails instead.
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    this.client = client;
    client.on('close', () => {
      if (!this.closing) options.onLost(`${options.username}: connection to the broker lost`);
    });
    client.on('error', (error) => options.onLost(`${options.username}: ${error.message}`));
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Resolves on the broker's PUBACK with the milliseconds since the publish call. */
  publish(payload: string): Promise<number> {
    const client = this.client;
    if (client === undefined) return Promise.reject(new Error(`${this.options.username} is not connected`));
    const started = performance.now();
    return new Promise((resolve, reject) => {
      client.publish(this.topic, payload, DELIVERY.readings, (error) => {
        if (error) reject(error);
        else resolve(performance.now() - started);
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await client.endAsync();
  }
}
