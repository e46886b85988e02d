import { type ApiClient, ApiProblem } from '../api-client.js';
import type { AlertListItem, AlertsResponse, HistoryEntry, HistoryResponse } from '../api-types.js';
import { el, errorBox, messageOf, show } from '../elements.js';
import { ago, reading, utc } from '../formatting.js';
import type { Page } from '../page-context.js';
import { isTechnician } from '../session.js';

const SILENCES = ['1h', '4h', '12h', '1d', '7d'] as const;

function rulePath(alert: AlertListItem, action: 'ack' | 'silence'): string {
  return `/v1/alerts/${encodeURIComponent(alert.station)}/${encodeURIComponent(alert.rule)}/${action}`;
}

/** Acknowledge and silence, for technicians: who does it, a comment, and for a silence how long. */
function actions(api: ApiClient, alert: AlertListItem, by: string, done: () => void): HTMLElement {
  const comment = el('input', { name: 'comment', placeholder: 'what is being done', maxlength: 500 });
  const length = el('select', { name: 'for', 'aria-label': 'silence for' });
  for (const duration of SILENCES) length.append(el('option', { value: duration }, duration));
  const message = el('div', { class: 'problem' });
  const act = (button: HTMLButtonElement, run: () => Promise<unknown>) => {
    button.addEventListener('click', () => {
      button.disabled = true;
      run()
        .then(done)
        .catch((error: unknown) => show(message, errorBox(messageOf(error))))
        .finally(() => {
          button.disabled = false;
        });
    });
    return button;
  };
  const body = () => ({ by, ...(comment.value.trim() === '' ? {} : { comment: comment.value.trim() }) });
  return el(
    'div',
    { class: 'alert-actions' },
    comment,
    act(el('button', { type: 'button', class: 'ack' }, 'Acknowledge'), () =>
      api.send('POST', rulePath(alert, 'ack'), body()),
    ),
    length,
    act(el('button', { type: 'button', class: 'silence' }, 'Silence'), () =>
      api.send('PUT', rulePath(alert, 'silence'), { ...body(), for: length.value }),
    ),
    message,
  );
}

function firingCard(alert: AlertListItem, now: number, controls: HTMLElement | null): HTMLElement {
  return el(
    'section',
    { class: `card alert severity-${alert.severity}`, 'data-rule': `${alert.station}/${alert.rule}` },
    el(
      'h3',
      {},
      `${alert.station} · ${alert.rule} `,
      el('span', { class: 'state state-firing' }, alert.severity),
    ),
    el('p', {}, alert.message),
    el(
      'p',
      { class: 'small' },
      `firing since ${utc(alert.since)} UTC (${ago(alert.since, now)})`,
      alert.value === undefined ? null : ` · last value ${reading(alert.value, alert.unit ?? '')}`,
    ),
    el(
      'p',
      { class: 'small status' },
      alert.ack === null
        ? 'not acknowledged'
        : `acknowledged by ${alert.ack.by} ${ago(alert.ack.time, now)}${alert.ack.comment ? `: ${alert.ack.comment}` : ''}`,
      alert.silence === null
        ? null
        : ` · silenced until ${utc(alert.silence.until)} UTC by ${alert.silence.by}`,
    ),
    controls,
  );
}

function historyRow(entry: HistoryEntry): HTMLElement {
  const what =
    entry.message ??
    [
      entry.by,
      entry.comment,
      entry.until && `until ${utc(entry.until)}`,
      entry.channel,
      entry.subscriber,
      entry.outcome,
    ]
      .filter(Boolean)
      .join(' · ');
  return el(
    'tr',
    { class: `history-${entry.type}` },
    el('td', {}, utc(entry.time)),
    el('td', {}, entry.type),
    el('td', {}, `${entry.station} · ${entry.rule}`),
    el('td', {}, what),
  );
}

/** Firing alerts (live from the stream), with acknowledge and silence for technicians, and the history. */
export const alertsPage: Page = async ({ api, me, root, onAlert }) => {
  const firing = el('div', { class: 'firing' });
  const history = el('tbody');
  const drawFiring = async () => {
    const { alerts } = await api.json<AlertsResponse>('/v1/alerts');
    const now = Date.now();
    show(
      firing,
      alerts.length === 0 ? el('p', { class: 'calm' }, 'Nothing is firing.') : null,
      ...alerts.map((alert) =>
        firingCard(alert, now, isTechnician(me) ? actions(api, alert, me.name, () => void redraw()) : null),
      ),
    );
  };
  const drawHistory = async () => {
    const { entries } = await api.json<HistoryResponse>('/v1/alerts/history?limit=100');
    show(history, ...entries.map(historyRow));
  };
  const redraw = () =>
    Promise.all([drawFiring(), drawHistory()]).catch((error: unknown) => {
      if (!(error instanceof ApiProblem && error.status === 401)) firing.prepend(errorBox(messageOf(error)));
    });
  show(
    root,
    el('h1', {}, 'Alerts'),
    el('h2', {}, 'Firing'),
    firing,
    el('h2', {}, 'History'),
    el(
      'div',
      { class: 'table-scroll' },
      el(
        'table',
        { class: 'history' },
        el(
          'thead',
          {},
          el('tr', {}, ...['Time (UTC)', 'What', 'Rule', 'Detail'].map((h) => el('th', {}, h))),
        ),
        history,
      ),
    ),
  );
  await Promise.all([drawFiring(), drawHistory()]);
  onAlert(() => void redraw());
};
