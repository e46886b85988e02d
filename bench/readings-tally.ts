import mqtt, { type MqttClient } from 'mqtt';
import { decodeKind, parseGatewayTopic, SUBSCRIPTIONS } from '../protocol/index.js';

export interface GatewayTally {
  /** Readings in well-formed batches. */
  readings: number;
  /** The sensors among them, sorted. */
  sensors: string[];
  /** Payloads the contract refuses. */
  refused: number;
}

/**
 * Counts what gateways publish, per `station/gateway`, so a measurement of a gateway that read no
 * sensor cannot pass for a small one.
 */
export class ReadingsTally {
  private readonly sensors = new Map<string, Set<string>>();
  private readonly counts = new Map<string, { readings: number; refused: number }>();

  private constructor(private readonly client: MqttClient) {
    client.on('message', (topic, payload) => this.count(topic, payload));
  }

  static async start(
    url: string,
    credentials: { username: string; password: string },
  ): Promise<ReadingsTally> {
    const client = await mqtt.connectAsync(url, { ...credentials, reconnectPeriod: 0 });
    const tally = new ReadingsTally(client);
    await client.subscribeAsync(SUBSCRIPTIONS.readings, { qos: 0 });
    return tally;
  }

  of(station: string, gateway: string): GatewayTally {
    const key = `${station}/${gateway}`;
    const counts = this.counts.get(key) ?? { readings: 0, refused: 0 };
    return { ...counts, sensors: [...(this.sensors.get(key) ?? [])].sort() };
  }

  async stop(): Promise<void> {
    await this.client.endAsync();
  }

  private count(topic: string, payload: Uint8Array): void {
    const address = parseGatewayTopic(topic);
    if (address === undefined) return;
    const key = `${address.station}/${address.gateway}`;
    const counts = this.counts.get(key) ?? { readings: 0, refused: 0 };
    this.counts.set(key, counts);
    const decoded = decodeKind('readings', payload);
    if (!decoded.ok) {
      counts.refused += 1;
      return;
    }
    counts.readings += decoded.value.readings.length;
    const sensors = this.sensors.get(key) ?? new Set<string>();
    this.sensors.set(key, sensors);
    for (const reading of decoded.value.readings) sensors.add(reading.sensor);
  }
}
