import type { MetricFamily, MetricSample, MetricSource } from '../../metrics/index.js';
import { GatewayStateSchema } from '../../protocol/index.js';
import type { GatewayLiveState, LiveView } from '../live/live-view.js';

export interface ApiMetricsOptions {
  live: LiveView;
  /** How many clients follow the alert stream right now. */
  sseClients: () => number;
}

const GATEWAY_STATES: readonly GatewayLiveState[] = [...GatewayStateSchema.options, 'unknown'];

// Every state of every station gets a sample, zero included, so a gateway going offline shows as a change.
function gatewaySamples(live: LiveView): MetricSample[] {
  const counts = new Map<string, Map<GatewayLiveState, number>>();
  for (const gateway of live.gateways()) {
    const byState = counts.get(gateway.station) ?? new Map(GATEWAY_STATES.map((state) => [state, 0]));
    byState.set(gateway.state, (byState.get(gateway.state) ?? 0) + 1);
    counts.set(gateway.station, byState);
  }
  return [...counts].flatMap(([station, byState]) =>
    [...byState].map(([state, value]) => ({ labels: { station, state }, value })),
  );
}

/** What the API itself knows: gateways' availability and alerts as heard over MQTT, and its own clients. */
export function apiMetricsSource({ live, sseClients }: ApiMetricsOptions): MetricSource {
  return {
    collect(): MetricFamily[] {
      const firing = live.alerts().filter((event) => event.state === 'firing').length;
      return [
        {
          name: 'fieldstation_api_gateways',
          help: 'Gateways known to the API by station and availability (unknown: no status message yet)',
          type: 'gauge',
          samples: gatewaySamples(live),
        },
        {
          name: 'fieldstation_api_alerts_firing',
          help: 'Alert rules firing now, as announced by the ingest over MQTT',
          type: 'gauge',
          samples: [{ value: firing }],
        },
        {
          name: 'fieldstation_api_alert_stream_clients',
          help: 'Clients connected to the alert event stream (/v1/alerts/stream)',
          type: 'gauge',
          samples: [{ value: sseClients() }],
        },
        {
          name: 'fieldstation_api_mqtt_connected',
          help: '1 while the API is connected to the broker for live state, 0 otherwise',
          type: 'gauge',
          samples: [{ value: live.isConnected() ? 1 : 0 }],
        },
      ];
    },
  };
}
