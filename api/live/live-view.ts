import type {
  AlertAck,
  AlertEvent,
  AlertSilence,
  AlertTopic,
  GatewayState,
  Health,
  SensorDescription,
} from '../../protocol/index.js';

/** `unknown`: the gateway is known from its data or health only, not from a status message. */
export type GatewayLiveState = GatewayState | 'unknown';

export interface GatewayHealthSnapshot {
  /** When the API received the report, epoch ms. */
  receivedAt: number;
  report: Health;
}

export interface GatewayLive {
  station: string;
  gateway: string;
  state: GatewayLiveState;
  /** When the gateway entered its current state, epoch ms; undefined while the state is unknown. */
  since: number | undefined;
  software: string | undefined;
  /** The sensors the gateway last announced in its status message. */
  sensors: readonly SensorDescription[];
  health: GatewayHealthSnapshot | undefined;
}

/**
 * What the routes may know about the running system beyond InfluxDB: gateways' availability and
 * the current state of every alert rule, fed from MQTT. Routes depend on this, never on MQTT.
 */
export interface LiveView {
  gateways(): readonly GatewayLive[];
  gateway(station: string, gateway: string): GatewayLive | undefined;
  /** The current state (firing or clear) of every alert rule heard of. */
  alerts(): readonly AlertEvent[];
  /** The last event of one rule; undefined for a rule never heard of. */
  alert(address: AlertTopic): AlertEvent | undefined;
  /** The retained acknowledgement of a rule, whichever episode it was for. */
  ack(address: AlertTopic): AlertAck | undefined;
  /** The retained silence of a rule, whether or not its `until` has passed. */
  silence(address: AlertTopic): AlertSilence | undefined;
  /** Every retained silence, past ones included: the caller knows what time it is. */
  silences(): readonly AlertSilence[];
  /** Whether the feed behind this view is connected (the MQTT session). */
  isConnected(): boolean;
  /** Calls `listener` on every alert transition; returns the function that unsubscribes it. */
  onAlert(listener: (event: AlertEvent) => void): () => void;
}
