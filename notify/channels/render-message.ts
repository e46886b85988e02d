import type { Notification } from '../planning/notification.js';

const REASON_WORDS: Readonly<Record<Notification['reason'], string>> = {
  firing: 'firing',
  clear: 'cleared',
  repeat: 'still firing',
  escalation: 'firing, escalated',
};

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** The API route that acknowledges an episode, absolute when the subscribers file names the API. */
export function ackRoute(notification: Notification, apiUrl: string | undefined): string {
  const path = `/v1/alerts/${notification.station}/${notification.rule}/ack`;
  return apiUrl === undefined ? path : new URL(path, apiUrl).toString();
}

/** What, where, since when, the value, and how to acknowledge: the facts every channel carries. */
export function messageFacts(notification: Notification, apiUrl: string | undefined): [string, string][] {
  const { event } = notification;
  const facts: [string, string][] = [
    ['What', event.message],
    ['Station', event.station],
    ['Rule', `${event.rule} (${event.kind})`],
    ['Severity', event.severity],
    ['State', REASON_WORDS[notification.reason]],
    ['Since', new Date(notification.since).toISOString()],
    ['Changed at', new Date(event.time).toISOString()],
  ];
  if (event.gateway !== undefined) facts.push(['Gateway', event.gateway]);
  if (event.sensor !== undefined) facts.push(['Sensor', event.sensor]);
  if (event.value !== undefined) {
    const unit = event.unit === undefined ? '' : ` ${event.unit}`;
    const limit = event.threshold === undefined ? '' : ` (${event.op ?? 'limit'} ${event.threshold}${unit})`;
    facts.push(['Value', `${event.value}${unit}${limit}`]);
  }
  if (notification.grouped !== undefined)
    facts.push(['Flapping', `${notification.grouped} state changes grouped into this notice`]);
  if (notification.reason !== 'clear')
    facts.push([
      'Acknowledge',
      `POST ${ackRoute(notification, apiUrl)} (stops repeats and escalation of this episode)`,
    ]);
  return facts;
}

export function subjectLine(notification: Notification): string {
  const { event } = notification;
  const state = notification.reason === 'clear' ? 'cleared' : REASON_WORDS[notification.reason];
  return `[${event.severity.toUpperCase()}] ${event.station} ${event.rule} ${state}: ${event.message}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function renderEmail(notification: Notification, apiUrl: string | undefined): RenderedMessage {
  const facts = messageFacts(notification, apiUrl);
  const width = Math.max(...facts.map(([label]) => label.length));
  const text = `${facts.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}`).join('\n')}\n`;
  const rows = facts
    .map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const html = `<p>${escapeHtml(subjectLine(notification))}</p><table>${rows}</table>`;
  return { subject: subjectLine(notification), text, html };
}

/** The webhook's JSON body, in the Standard Webhooks shape {type, timestamp, data}. */
export function webhookPayload(notification: Notification, apiUrl: string | undefined, now: number): unknown {
  const { event } = notification;
  return {
    type: `fieldstation.alert.${notification.reason}`,
    timestamp: new Date(now).toISOString(),
    data: {
      id: notification.id,
      reason: notification.reason,
      n: notification.n,
      contact: notification.contact,
      ...event,
      time: new Date(event.time).toISOString(),
      since: new Date(event.since).toISOString(),
      ...(notification.grouped === undefined ? {} : { grouped: notification.grouped }),
      ackUrl: ackRoute(notification, apiUrl),
    },
  };
}
