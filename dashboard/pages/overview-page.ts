import type { GatewayView, HealthView, SensorView, StationsResponse, StationView } from '../api-types.js';
import { el, show } from '../elements.js';
import { ago, bytes, qcLabel, reading, utc } from '../formatting.js';
import { href } from '../location.js';
import type { Page } from '../page-context.js';
import { DEFAULT_RANGE, seriesRequestParams } from '../series/series-request.js';
import { isTechnician } from '../session.js';

const REFRESH_MS = 30_000;

function seriesLink(station: string, sensors: string[], text: string): HTMLAnchorElement {
  const params = seriesRequestParams({ station, sensors, ...DEFAULT_RANGE, every: undefined, fn: 'mean' });
  return el('a', { href: href('series', params) }, text);
}

function lastSeen(gateway: GatewayView): string | null {
  const times = [gateway.health?.receivedAt, ...gateway.sensors.map((sensor) => sensor.last?.time)];
  const known = times.filter((time): time is string => typeof time === 'string').sort();
  return known.at(-1) ?? null;
}

function sensorRow(station: string, sensor: SensorView, health: HealthView | null, now: number) {
  const errors = health?.sensors.find((entry) => entry.sensor === sensor.sensor);
  const qc = sensor.last?.qc ?? null;
  return el(
    'tr',
    { 'data-sensor': sensor.sensor },
    el('td', {}, seriesLink(station, [sensor.sensor], sensor.sensor)),
    el('td', {}, sensor.quantity),
    el('td', { class: 'num value' }, reading(sensor.last?.value ?? null, sensor.unit)),
    el('td', {}, el('span', { class: `qc qc-${qc ?? 'none'}` }, qcLabel(qc))),
    el('td', { class: 'age', title: sensor.last?.time ?? '' }, ago(sensor.last?.time ?? null, now)),
    el(
      'td',
      { class: errors?.errors ? 'warn' : '' },
      errors === undefined ? '–' : String(errors.errors),
      errors?.lastError === undefined ? null : el('div', { class: 'small' }, errors.lastError),
    ),
  );
}

function healthFacts(health: HealthView | null, technician: boolean): HTMLElement {
  // A reader's answer has health null for every gateway: that says nothing about the gateway.
  if (!technician) return el('p', { class: 'small' }, 'Health is shown to technicians.');
  if (health === null) return el('p', { class: 'small' }, 'No health report yet.');
  const { outbox, clock } = health;
  const clockText =
    clock === null
      ? 'not reported'
      : `${clock.state}${clock.source === undefined ? '' : ` (${clock.source})`}${clock.offsetMs === undefined ? '' : `, ${clock.offsetMs} ms off`}`;
  return el(
    'dl',
    { class: 'facts' },
    el('dt', {}, 'Outbox backlog'),
    el(
      'dd',
      { class: outbox.pendingMessages > 0 ? 'warn' : '' },
      `${outbox.pendingMessages} messages, ${bytes(outbox.diskBytes)}`,
    ),
    el('dt', {}, 'Dropped at the edge'),
    el('dd', { class: outbox.droppedReadings > 0 ? 'bad' : '' }, `${outbox.droppedReadings} readings`),
    el('dt', {}, 'Clock'),
    el(
      'dd',
      {
        class: clock !== null && clock.state !== 'synced' ? 'warn' : '',
        'data-clock': clock?.state ?? 'none',
      },
      clockText,
    ),
    el('dt', {}, 'Uptime'),
    el('dd', {}, `${Math.round(health.uptimeS / 3600)} h`),
  );
}

function gatewayCard(station: string, gateway: GatewayView, now: number, technician: boolean): HTMLElement {
  const seen = lastSeen(gateway);
  return el(
    'section',
    { class: 'card gateway', 'data-gateway': gateway.gateway },
    el('h3', {}, gateway.gateway, ' ', el('span', { class: `state state-${gateway.state}` }, gateway.state)),
    el(
      'p',
      { class: 'small' },
      gateway.since === null
        ? 'state since: unknown'
        : `since ${utc(gateway.since)} UTC (${ago(gateway.since, now)})`,
      ' · last seen ',
      el('span', { class: 'last-seen', title: seen ?? '' }, ago(seen, now)),
      gateway.software === null ? null : ` · ${gateway.software}`,
    ),
    healthFacts(gateway.health, technician),
    el(
      'div',
      { class: 'table-scroll' },
      el(
        'table',
        { class: 'sensors' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['Sensor', 'Quantity', 'Last value', 'QC', 'Age', 'Errors'].map((h) => el('th', {}, h)),
          ),
        ),
        el('tbody', {}, ...gateway.sensors.map((sensor) => sensorRow(station, sensor, gateway.health, now))),
      ),
    ),
  );
}

function stationSection(station: StationView, now: number, technician: boolean): HTMLElement {
  const sensors = [...new Set(station.gateways.flatMap((gateway) => gateway.sensors.map((s) => s.sensor)))];
  const online = station.gateways.filter((gateway) => gateway.state === 'online').length;
  return el(
    'section',
    { class: 'station', 'data-station': station.station },
    el(
      'h2',
      {},
      station.station,
      ' ',
      el('span', { class: 'small' }, `${online} of ${station.gateways.length} gateways online · `),
      seriesLink(station.station, sensors.slice(0, 4), 'plot the week'),
    ),
    ...station.gateways.map((gateway) => gatewayCard(station.station, gateway, now, technician)),
  );
}

/** Stations, their gateways' state and health, and every sensor's last value; refreshed every 30 s. */
export const overviewPage: Page = async ({ api, me, root, every, onAlert }) => {
  const draw = async () => {
    const { stations } = await api.json<StationsResponse>('/v1/stations');
    const now = Date.now();
    show(
      root,
      el('h1', {}, 'Overview'),
      stations.length === 0 ? el('p', {}, 'No station has sent anything yet.') : null,
      ...stations.map((station) => stationSection(station, now, isTechnician(me))),
    );
  };
  await draw();
  every(REFRESH_MS, draw);
  onAlert(() => void draw().catch(() => {}));
};
