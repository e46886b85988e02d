import type { MqttClient } from 'mqtt';

interface Announcement {
  clientId: string;
  subs: { topic: string }[];
}

/**
 * What Aedes announces on `$SYS/<broker id>/new/subscribes` once it has answered a SUBSCRIBE, read
 * by an operator account: the moment a client other than MQTT.js (mosquitto_sub) is subscribed,
 * which its own block-buffered output cannot tell.
 */
export class SubscribeAnnouncements {
  readonly #seen: Announcement[] = [];
  readonly #waiters: { match: (seen: Announcement) => boolean; resolve: () => void }[] = [];

  private constructor(operator: MqttClient) {
    operator.on('message', (topic, payload) => {
      if (!topic.endsWith('/new/subscribes')) return;
      const announcement = JSON.parse(payload.toString()) as Announcement;
      this.#seen.push(announcement);
      for (const waiter of this.#waiters.filter(({ match }) => match(announcement))) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  }

  /** Listens through a connected client of an operator account (subscriber scope `operator`). */
  static async start(operator: MqttClient): Promise<SubscribeAnnouncements> {
    const announcements = new SubscribeAnnouncements(operator);
    await operator.subscribeAsync('$SYS/+/new/subscribes', { qos: 0 });
    return announcements;
  }

  /** Resolves once the client has subscribed to the filter (also if it already had). */
  subscribed(clientId: string, filter: string): Promise<void> {
    const match = (seen: Announcement) =>
      seen.clientId === clientId && seen.subs.some((sub) => sub.topic === filter);
    if (this.#seen.some(match)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }
}
