import type { QuarantineRecord, QuarantineResponse } from '../api-types.js';
import { el, show } from '../elements.js';
import { utc } from '../formatting.js';
import type { Page } from '../page-context.js';

function recordRow(record: QuarantineRecord): HTMLElement {
  const payload = record.payload === null ? '' : `${record.payload}${record.payloadTruncated ? ' …' : ''}`;
  return el(
    'tr',
    {},
    el('td', {}, utc(record.time)),
    el('td', {}, el('code', {}, record.code)),
    el('td', {}, [record.station, record.gateway].filter(Boolean).join(' / ') || record.topic || '–'),
    el('td', {}, record.reason ?? ''),
    el('td', {}, el('code', { class: 'payload' }, payload)),
  );
}

/** Input the ingest refused, newest first, a page at a time (technicians only). */
export const quarantinePage: Page = async ({ api, root }) => {
  const rows = el('tbody');
  const more = el('button', { type: 'button', hidden: true }, 'Older');
  let next: string | null = '/v1/quarantine?limit=50';
  const load = async () => {
    if (next === null) return;
    const page: QuarantineResponse = await api.json<QuarantineResponse>(next);
    rows.append(...page.records.map(recordRow));
    next = page.next;
    more.hidden = next === null;
    if (rows.childElementCount === 0)
      rows.append(el('tr', {}, el('td', { colspan: 5 }, 'Nothing quarantined.')));
  };
  more.addEventListener('click', () => void load());
  show(
    root,
    el('h1', {}, 'Quarantine'),
    el('p', { class: 'small' }, 'Messages the ingest refused, with the reason and the payload as received.'),
    el(
      'div',
      { class: 'table-scroll' },
      el(
        'table',
        { class: 'quarantine' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['Received (UTC)', 'Code', 'From', 'Reason', 'Payload'].map((h) => el('th', {}, h)),
          ),
        ),
        rows,
      ),
    ),
    more,
  );
  await load();
};
