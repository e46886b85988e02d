import {
  type AlertAck,
  type AlertSilence,
  type AlertTopic,
  alertActionTopic,
  DELIVERY,
  type Delivery,
} from '../../protocol/index.js';
import { ApiError } from '../errors.js';

/** What the write routes publish: an ack, a silence, or the lift of a silence (its empty payload). */
export type AlertActionMessage =
  | { kind: 'ack'; body: AlertAck }
  | { kind: 'silence'; body: AlertSilence }
  | { kind: 'lift'; address: AlertTopic };

/** The routes' one way out to MQTT; a test passes a fake, the server the live MQTT client. */
export interface ActionPublisher {
  /** Resolves once the broker has confirmed it (PUBACK); rejects with an ApiError (503) otherwise. */
  publish(message: AlertActionMessage): Promise<void>;
}

export interface ActionPacket {
  topic: string;
  payload: string;
  delivery: Delivery;
}

/** Topic, payload, QoS and retain flag of a message, all from the contract. Pure. */
export function actionPacket(message: AlertActionMessage): ActionPacket {
  switch (message.kind) {
    case 'ack':
      return {
        topic: alertActionTopic(message.body, 'ack'),
        payload: JSON.stringify(message.body),
        delivery: DELIVERY.ack,
      };
    case 'silence':
      return {
        topic: alertActionTopic(message.body, 'silence'),
        payload: JSON.stringify(message.body),
        delivery: DELIVERY.silence,
      };
    case 'lift':
      // An empty retained payload removes the retained silence [MQTT-3.3.1-10].
      return { topic: alertActionTopic(message.address, 'silence'), payload: '', delivery: DELIVERY.silence };
  }
}

export function mqttUnreachable(detail: string, cause?: unknown): ApiError {
  return new ApiError(
    'MQTT_UNREACHABLE',
    `the MQTT broker ${detail}; try again later`,
    503,
    {},
    cause === undefined ? undefined : { cause },
  );
}

/** For an app built without an MQTT connection (a live view fed by someone else): every write is a 503. */
export const NO_PUBLISHER: ActionPublisher = {
  publish: async () => {
    throw new ApiError('MQTT_UNREACHABLE', 'this API has no MQTT connection to publish with', 503);
  },
};
