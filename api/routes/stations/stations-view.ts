import type { GatewayHealthSnapshot, GatewayLive } from '../../live/live-view.js';
import type { LatestReading } from '../../queries/fetch-latest.js';
import type { MetadataRecord } from '../../queries/metadata-rows.js';
import { isoTime } from '../../views/iso-time.js';
import { type MetadataView, metadataView } from '../../views/metadata-view.js';
import { readingValue } from '../../views/reading-view.js';
import type { GatewayView, HealthView, SensorView, StationView } from './stations-schema.js';

function healthView(snapshot: GatewayHealthSnapshot | undefined): HealthView | null {
  if (snapshot === undefined) return null;
  const { time, uptimeS, outbox, published, sensors, clock } = snapshot.report;
  return {
    receivedAt: isoTime(snapshot.receivedAt),
    time: isoTime(time),
    uptimeS,
    outbox,
    published,
    sensors,
    clock: clock ?? null,
  };
}

function liveGatewayView(live: GatewayLive): GatewayView {
  return {
    gateway: live.gateway,
    state: live.state,
    since: live.since === undefined ? null : isoTime(live.since),
    software: live.software ?? null,
    health: healthView(live.health),
    metadata: null,
    sensors: live.sensors.map((s) => ({
      ...s,
      intervalMs: s.intervalMs ?? null,
      last: null,
      metadata: null,
    })),
  };
}

function unknownGatewayView(gateway: string): GatewayView {
  return {
    gateway,
    state: 'unknown',
    since: null,
    software: null,
    health: null,
    metadata: null,
    sensors: [],
  };
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
  else gateway.sensors.push({ ...tags, intervalMs: null, last: readingValue(point), metadata: null });
}

/** A gateway's or a sensor's metadata; sensors without a reading or a status row are not invented. */
function attachMetadata(gateway: GatewayView, record: MetadataRecord): void {
  if (record.subject === 'gateway') gateway.metadata = metadataView(record);
  if (record.subject !== 'sensor') return;
  for (const sensor of gateway.sensors)
    if (sensor.sensor === record.sensor) sensor.metadata = metadataView(record);
}

/** The station's metadata: several gateways may describe it, the newest message wins. */
function newestStationMetadata(metadata: readonly MetadataRecord[]): Map<string, MetadataView> {
  const newest = new Map<string, MetadataRecord>();
  for (const record of metadata) {
    if (record.subject !== 'station') continue;
    const known = newest.get(record.station);
    if (known === undefined || known.time < record.time) newest.set(record.station, record);
  }
  return new Map([...newest].map(([station, record]) => [station, metadataView(record)]));
}

/**
 * Stations -> gateways -> sensors: what the gateways announce over MQTT merged with what InfluxDB
 * holds, so a sensor shows before its first reading and a silent gateway still shows its data.
 * `metadata` is the newest `metadata` point of each subject.
 */
export function assembleStations(
  latest: readonly LatestReading[],
  gateways: readonly GatewayLive[],
  metadata: readonly MetadataRecord[] = [],
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
  for (const record of metadata) {
    if (record.subject === 'station') {
      gatewaysOf(record.station);
      continue;
    }
    const views = gatewaysOf(record.station);
    const view = views.get(record.gateway) ?? unknownGatewayView(record.gateway);
    views.set(view.gateway, view);
    attachMetadata(view, record);
  }
  const stationMetadata = newestStationMetadata(metadata);
  return [...stations.entries()]
    .map(([station, views]) => ({
      station,
      metadata: stationMetadata.get(station) ?? null,
      gateways: [...views.values()]
        .map((g) => ({ ...g, sensors: g.sensors.sort(byId((s) => `${s.sensor}/${s.quantity}/${s.unit}`)) }))
        .sort(byId((g) => g.gateway)),
    }))
    .sort(byId((s) => s.station));
}

/** A station as a reader key sees it: gateway and sensor health is the technicians' business. */
export function withoutHealth(station: StationView): StationView {
  return { ...station, gateways: station.gateways.map((gateway) => ({ ...gateway, health: null })) };
}
