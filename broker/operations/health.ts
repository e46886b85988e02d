/** One way into the broker (plain MQTT today; TLS or WebSocket when configured) and whether it accepts connections. */
export interface ListenerState {
  name: string;
  listening: boolean;
}

export interface BrokerHealth {
  status: 'ok' | 'unavailable';
  brokerId: string;
  listeners: ListenerState[];
  connections: number;
  uptimeSeconds: number;
}

export interface HealthInput {
  brokerId: string;
  listeners: readonly ListenerState[];
  connections: number;
  startedAtMs: number;
  nowMs: number;
}

/** Healthy when there is at least one listener and every one of them accepts connections. */
export function brokerHealth(input: HealthInput): BrokerHealth {
  const { listeners } = input;
  const up = listeners.length > 0 && listeners.every((listener) => listener.listening);
  return {
    status: up ? 'ok' : 'unavailable',
    brokerId: input.brokerId,
    listeners: listeners.map((listener) => ({ ...listener })),
    connections: input.connections,
    uptimeSeconds: Math.max(0, Math.round((input.nowMs - input.startedAtMs) / 1000)),
  };
}
