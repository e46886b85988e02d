import type { CompletenessDocument, StationsResponse } from '../api-types.js';
import { el, show } from '../elements.js';
import { href } from '../location.js';
import type { Page } from '../page-context.js';

type Gateway = CompletenessDocument['gateways'][number];

/** Share of owed readings received per day over a gateway's sensors, or null where nothing is owed. */
export function dailyShares(gateway: Gateway): (number | null)[] {
  const days = gateway.sensors[0]?.windows.length ?? 0;
  return Array.from({ length: days }, (_, day) => {
    let expected = 0;
    let received = 0;
    for (const sensor of gateway.sensors) {
      const window = sensor.windows[day];
      if (window?.expected == null) continue;
      expected += window.expected;
      received += Math.min(window.received, window.expected);
    }
    return expected === 0 ? null : received / expected;
  });
}

function shareCell(share: number | null): HTMLElement {
  if (share === null) return el('td', { class: 'share none' }, '–');
  const level = share >= 0.99 ? 'good' : share >= 0.9 ? 'fair' : 'poor';
  return el('td', { class: `share ${level}` }, `${Math.floor(share * 100)} %`);
}

/** Readings received of those owed, per gateway and UTC day, over the last 14 days. */
export const completenessPage: Page = async ({ api, root, params }) => {
  const { stations } = await api.json<StationsResponse>('/v1/stations');
  const station = params.get('station') ?? stations[0]?.station;
  const picker = el(
    'nav',
    { class: 'tabs' },
    ...stations.map(({ station: id }) =>
      el(
        'a',
        {
          href: href('completeness', new URLSearchParams({ station: id })),
          class: id === station ? 'current' : '',
        },
        id,
      ),
    ),
  );
  if (station === undefined) return show(root, el('h1', {}, 'Completeness'), el('p', {}, 'No station yet.'));
  const query = new URLSearchParams({ station, from: '-14d', every: '1d' });
  const report = await api.json<CompletenessDocument>(`/v1/completeness?${query.toString()}`);
  const days = report.gateways[0]?.sensors[0]?.windows.map((window) => window.from.slice(5, 10)) ?? [];
  show(
    root,
    el('h1', {}, 'Completeness'),
    picker,
    el(
      'p',
      { class: 'small' },
      'Readings received of those the gateways announced, per UTC day (sensors without an announced interval are left out).',
    ),
    el(
      'div',
      { class: 'table-scroll' },
      el(
        'table',
        { class: 'completeness' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Gateway'), ...days.map((day) => el('th', {}, day)))),
        el(
          'tbody',
          {},
          ...report.gateways.map((gateway) =>
            el('tr', {}, el('th', {}, gateway.gateway), ...dailyShares(gateway).map(shareCell)),
          ),
        ),
      ),
    ),
  );
};
