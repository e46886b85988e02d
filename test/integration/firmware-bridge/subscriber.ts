import { connectAsync, type MqttClient } from 'mqtt';

export interface Received {
  topic: string;
  payload: unknown;
  retain: boolean;
}

/** A real MQTT subscriber that records what it receives and lets a test await a condition on it. */
export class TestSubscriber {
  readonly messages: Received[] = [];
  private readonly checks = new Set<() => void>();

  private constructor(private readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.messages.push({ topic, payload: JSON.parse(payload.toString('utf8')), retain: packet.retain });
      for (const check of this.checks) check();
    });
  }

  static async connect(url: string, filter = 'fs/v1/#'): Promise<TestSubscriber> {
    const client = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
    const subscriber = new TestSubscriber(client);
    await client.subscribeAsync(filter, { qos: 1 });
    return subscriber;
  }

  on(kind: string): Received[] {
    return this.messages.filter((message) => message.topic.endsWith(`/${kind}`));
  }

  /** Resolves with the first non-undefined result of `pick`, checked now and on every message. */
  until<T>(pick: (subscriber: TestSubscriber) => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const check = () => {
        const result = pick(this);
        if (result === undefined) return;
        this.checks.delete(check);
        resolve(result);
      };
      this.checks.add(check);
      check();
    });
  }

  async end(): Promise<void> {
    await this.client.endAsync(true);
  }
}
