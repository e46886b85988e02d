import type { GatewayHealthSnapshot, GatewayLive } from '../../live/live-view.js';
import type { LatestReading } from '../../queries/fetch-latest.js';
import { isoTime } from '../../views/iso-time.js';
import { readingValue } from '../../views/reading-view.js';
import type { GatewayView, HealthView, SensorView, StationView } from './stations-schema.js';

function healthView(snapshot: GatewayHealthSnapshot | undefined): HealthView | null {
  if (snapshot === undefined) return null;
  const { time, uptimeS, outbox, published, sensors } = snapshot.report;
  return {
    receivedAt: isoTime(snapshot.receivedAt),
    time: isoTime(time),
    uptimeS,
    outbox,
    published,
    sensors,
  };
}

function liveGatewayView(live: GatewayLive): GatewayView {
  return {
    gateway: live.gateway,
    state: live.state,
    since: live.since === undefined ? null : isoTime(live.since),
    software: live.software ?? null,
    health: healthView(live.health),
    sensors: live.sensors.map((s) => ({ ...s, intervalMs: s.intervalMs ?? null, last: null })),
  };
}

function unknownGatewayView(gateway: string): GatewayView {
  return { gateway, state: 'unknown', since: null, software: null, health: null, sensors: [] };
}

const byId =
  <T>(id: (item: T) => string) =>
  (a: T, b: T) =>
    id(a).localeCompare(id(b));

function attachReading(gateway: GatewayView, { tags, point }: LatestReading): void {
  const match = (s: SensorView) =>
    s.sensor === tags.sensor && s.quantity === tags.quantity && s.unit === tags.unit;
  const sensor = gateway.sensors.find(match);
  if (sensor) sensor.last = readingValue(point);
  else gateway.sensors.push({ ...tags, intervalMs: null, last: readingValue(point) });
}

/**
 * Stations -> gateways -> sensors: what the gateways announce over MQTT merged with what InfluxDB
 * holds, so a sensor shows before its first reading and a silent gateway still shows its data.
 */
export function assembleStations(
  latest: readonly LatestReading[],
  gateways: readonly GatewayLive[],
): StationView[] {
  const stations = new Map<string, Map<string, GatewayView>>();
  const gatewaysOf = (station: string) => {
    const existing = stations.get(station);
    if (existing) return existing;
    const created = new Map<string, GatewayView>();
    stations.set(station, created);
    return created;
  };
  for (const live of gateways) gatewaysOf(live.station).set(live.gateway, liveGatewayView(live));
  for (const reading of latest) {
    const views = gatewaysOf(reading.tags.station);
    const view = views.get(reading.tags.gateway) ?? unknownGatewayView(reading.tags.gateway);
    views.set(view.gateway, view);
    attachReading(view, reading);
  }
  return [...stations.entries()]
    .map(([station, views]) => ({
      station,
      gateways: [...views.values()]
        .map((g) => ({ ...g, sensors: g.sensors.sort(byId((s) => `${s.sensor}/${s.quantity}/${s.unit}`)) }))
        .sort(byId((g) => g.gateway)),
    }))
    .sort(byId((s) => s.station));
}
