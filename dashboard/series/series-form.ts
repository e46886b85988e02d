import type { StationView } from '../api-types.js';
import { el } from '../elements.js';
import { AGGREGATES, type SeriesRequest } from './series-request.js';

const RANGES = [
  { label: '24 h', from: '-24h' },
  { label: '7 d', from: '-7d' },
  { label: '30 d', from: '-30d' },
  { label: '1 y', from: '-365d' },
] as const;

/** Every sensor a station has, once, in gateway order. */
export function sensorsOf(station: StationView | undefined): string[] {
  return [
    ...new Set(station?.gateways.flatMap((gateway) => gateway.sensors.map((sensor) => sensor.sensor)) ?? []),
  ];
}

/** The explorer's form: station, sensors, time range, raw or window and function. Submits a new request. */
export function seriesForm(
  stations: readonly StationView[],
  current: SeriesRequest,
  submit: (request: SeriesRequest) => void,
): HTMLFormElement {
  const station = el('select', { name: 'station', id: 'station' });
  for (const { station: id } of stations)
    station.append(el('option', { value: id, selected: id === current.station }, id));
  const sensors = el('fieldset', { class: 'sensor-picks' }, el('legend', {}, 'Sensors'));
  const fillSensors = () => {
    const chosen = stations.find((candidate) => candidate.station === station.value);
    sensors.replaceChildren(el('legend', {}, 'Sensors'));
    for (const sensor of sensorsOf(chosen)) {
      const box = el('input', {
        type: 'checkbox',
        name: 'sensor',
        value: sensor,
        checked: current.sensors.includes(sensor),
      });
      sensors.append(el('label', { class: 'pick' }, box, ` ${sensor}`));
    }
  };
  station.addEventListener('change', fillSensors);
  fillSensors();
  const from = el('input', { name: 'from', id: 'from', value: current.from, size: 22 });
  const to = el('input', { name: 'to', id: 'to', value: current.to, size: 22 });
  const every = el('input', {
    name: 'every',
    id: 'every',
    value: current.every ?? '',
    placeholder: 'raw',
    size: 6,
  });
  const fn = el('select', { name: 'fn', id: 'fn' });
  for (const name of AGGREGATES)
    fn.append(el('option', { value: name, selected: name === current.fn }, name));
  const presets = el('div', { class: 'presets' });
  for (const range of RANGES) {
    const button = el('button', { type: 'button', class: 'preset' }, range.label);
    button.addEventListener('click', () => {
      from.value = range.from;
      to.value = 'now';
    });
    presets.append(button);
  }
  const form = el(
    'form',
    { class: 'series-form', 'aria-label': 'Series' },
    el('label', { for: 'station' }, 'Station'),
    station,
    sensors,
    el(
      'div',
      { class: 'range' },
      el('label', { for: 'from' }, 'From'),
      from,
      el('label', { for: 'to' }, 'To'),
      to,
    ),
    presets,
    el(
      'div',
      { class: 'window' },
      el('label', { for: 'every' }, 'Window (e.g. 1h; empty: raw)'),
      every,
      el('label', { for: 'fn' }, 'Function'),
      fn,
    ),
    el('button', { type: 'submit', class: 'primary' }, 'Plot'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const picked = [...sensors.querySelectorAll<HTMLInputElement>('input[name=sensor]:checked')].map(
      (box) => box.value,
    );
    submit({
      station: station.value,
      sensors: picked,
      from: from.value.trim() || '-7d',
      to: to.value.trim() || 'now',
      every: every.value.trim() || undefined,
      fn: AGGREGATES.find((name) => name === fn.value) ?? 'mean',
    });
  });
  return form;
}
