import type { MqttClient } from 'mqtt';
import { epochNow } from '../stats.js';
import type { PublishedResult } from './messages.js';
import type { Qos } from './options.js';

export interface PumpTarget {
  client: MqttClient;
  topic: string;
}

/**
 * Publishes the same payload until `untilAt` with at most `window` publishes outstanding: QoS 1
 * waits for the PUBACK, QoS 0 for the socket to take the write (MQTT.js calls back at once, or on
 * 'drain' when the socket's buffer is full), so a broker that reads slowly slows its publishers.
 */
export function publishUntil(
  target: PumpTarget,
  payload: Buffer,
  qos: Qos,
  window: number,
  untilAt: number,
): Promise<PublishedResult> {
  return new Promise((resolve, reject) => {
    let outstanding = 0;
    let sent = 0;
    let acked = 0;
    let scheduled = false;
    let settled = false;
    const finishIfDone = (): void => {
      if (settled || outstanding > 0 || epochNow() < untilAt) return;
      settled = true;
      resolve({ sent, acked });
    };
    const onDone = (error?: Error): void => {
      outstanding -= 1;
      if (error) {
        settled = true;
        reject(error);
        return;
      }
      acked += 1;
      schedule();
    };
    // Callbacks can come synchronously (QoS 0): the next round runs from the event loop, not the stack.
    const schedule = (): void => {
      if (scheduled || settled) return;
      scheduled = true;
      setImmediate(pump);
    };
    const pump = (): void => {
      scheduled = false;
      while (!settled && outstanding < window && epochNow() < untilAt) {
        outstanding += 1;
        sent += 1;
        target.client.publish(target.topic, payload, { qos, retain: false }, onDone);
      }
      finishIfDone();
    };
    pump();
  });
}
