import type { AlertEvent } from '../../protocol/index.js';
import type { Contact, Route, Subscribers } from '../subscribers/subscribers-schema.js';
import { type RuleRecord, ruleKey } from './alert-book.js';
import { type Notification, type NotificationReason, notificationId } from './notification.js';
import { routeMatches } from './route-matching.js';

const MINUTE_MS = 60_000;

/** Everything planning looks at; it reads no clock and does no I/O. */
export interface PlanningInput {
  rules: Iterable<[string, RuleRecord]>;
  subscribers: Subscribers;
  /** Every notification planned so far (the journal's), sent or not. */
  planned: readonly Notification[];
  now: number;
}

interface RouteContext {
  route: Route;
  event: AlertEvent;
  record: RuleRecord;
  contacts: ReadonlyMap<string, Contact>;
  /** This route's earlier notifications of this rule. */
  history: readonly Notification[];
  now: number;
}

/**
 * The notifications owed now and not planned yet. Level-based rather than edge-based: it looks at the
 * current state and at what was already planned (by id), so calling it again, after a restart or
 * for a retained event seen twice, plans nothing twice.
 */
export function planNotifications(input: PlanningInput): Notification[] {
  const plannedIds = new Set(input.planned.map((notification) => notification.id));
  const contacts = new Map(input.subscribers.contacts.map((contact) => [contact.name, contact]));
  const byRule = plannedByRule(input.planned);
  const owed: Notification[] = [];
  for (const [, record] of input.rules) {
    const event = record.event;
    if (event === undefined) continue;
    const ofRule = byRule.get(ruleKey(event)) ?? [];
    for (const route of input.subscribers.routes) {
      if (!routeMatches(route, event)) continue;
      const history = ofRule.filter((n) => n.route === route.name);
      owed.push(...planRoute({ route, event, record, contacts, history, now: input.now }));
    }
  }
  const fresh = new Map<string, Notification>();
  for (const notification of owed) {
    if (!plannedIds.has(notification.id)) fresh.set(notification.id, notification);
  }
  return [...fresh.values()];
}

/**
 * The planned notifications grouped by rule, once per pass: filtering the whole list for each rule
 * made a pass quadratic (10,000 firing rules took 50 s, blocking the event loop and MQTT with it).
 */
function plannedByRule(planned: readonly Notification[]): Map<string, Notification[]> {
  const byRule = new Map<string, Notification[]>();
  for (const notification of planned) {
    const key = ruleKey(notification);
    const list = byRule.get(key);
    if (list === undefined) byRule.set(key, [notification]);
    else list.push(notification);
  }
  return byRule;
}

function planRoute(context: RouteContext): Notification[] {
  const { event, record, now } = context;
  if (record.silence !== undefined && record.silence.until > now) return [];
  if (heldForFlapping(context)) return [];
  const lastClear = Math.max(
    Number.NEGATIVE_INFINITY,
    ...context.history.filter((n) => n.reason === 'clear').map((n) => n.since),
  );
  // What was said about episodes since the last "cleared": those are the people still to be told.
  const open = context.history.filter((n) => n.reason !== 'clear' && n.since > lastClear);
  if (event.state === 'clear') {
    const told = new Set(open.filter((n) => n.since <= event.since).map((n) => n.contact));
    return notify(context, 'clear', 0, [...told]);
  }
  if (record.ack !== undefined && record.ack.since === event.since) return [];
  const episode = open.filter((n) => n.since === event.since);
  const first = context.route.chain[0];
  if (!episode.some((n) => n.reason === 'firing'))
    return first === undefined ? [] : notify(context, 'firing', 0, [first]);
  return [...escalation(context, episode), ...repeat(context, episode)];
}

function escalation(context: RouteContext, episode: readonly Notification[]): Notification[] {
  const { route, now } = context;
  if (route.escalateAfter === undefined) return [];
  const levels = episode.filter((n) => n.reason === 'firing' || n.reason === 'escalation');
  const level = Math.max(0, ...levels.map((n) => n.n));
  const next = route.chain[level + 1];
  if (next === undefined) return [];
  const reachedAt = Math.min(...levels.filter((n) => n.n === level).map((n) => n.plannedAt));
  if (now < reachedAt + route.escalateAfter * MINUTE_MS) return [];
  return notify(context, 'escalation', level + 1, [next]);
}

function repeat(context: RouteContext, episode: readonly Notification[]): Notification[] {
  const { route, now } = context;
  if (route.repeatEvery === undefined) return [];
  const lastNotice = Math.max(...episode.map((n) => n.plannedAt));
  if (now < lastNotice + route.repeatEvery * MINUTE_MS) return [];
  const repeats = Math.max(0, ...episode.filter((n) => n.reason === 'repeat').map((n) => n.n));
  const told = new Set(episode.filter((n) => n.reason !== 'repeat').map((n) => n.contact));
  return notify(context, 'repeat', repeats + 1, [...told]);
}

/**
 * A rule that changes again within the flapping window of its previous change is held: what it
 * does meanwhile is grouped into one notification of its state when it has been quiet for the window,
 * or when a window has passed since this route's last notification (a storm then costs one
 * notification per window, and a rule that never settles is still reported).
 */
function heldForFlapping(context: RouteContext): boolean {
  const windowMs = context.route.flapWindow * MINUTE_MS;
  const { changes } = context.record;
  const last = changes.at(-1);
  const previous = changes.at(-2);
  if (last === undefined || previous === undefined || last - previous >= windowMs) return false;
  const lastNotice = Math.max(Number.NEGATIVE_INFINITY, ...context.history.map((n) => n.plannedAt));
  return context.now < last + windowMs && context.now < lastNotice + windowMs;
}

/** State changes since this route last notified, when more than one: how many were grouped. */
function groupedChanges(context: RouteContext): number | undefined {
  const lastNotice = Math.max(Number.NEGATIVE_INFINITY, ...context.history.map((n) => n.plannedAt));
  const count = context.record.changes.filter((time) => time > lastNotice).length;
  return count > 1 ? count : undefined;
}

function notify(
  context: RouteContext,
  reason: NotificationReason,
  n: number,
  names: readonly string[],
): Notification[] {
  const { event } = context;
  const grouped = reason === 'firing' || reason === 'clear' ? groupedChanges(context) : undefined;
  return names.flatMap((name) => {
    const contact = context.contacts.get(name);
    if (contact === undefined) return [];
    const channels = [
      ...(contact.email === undefined ? [] : (['email'] as const)),
      ...(contact.webhook === undefined ? [] : (['webhook'] as const)),
    ];
    return channels.map((channel) => {
      const key = {
        station: event.station,
        rule: event.rule,
        since: event.since,
        reason,
        n,
        contact: name,
        channel,
        route: context.route.name,
      };
      return {
        ...key,
        id: notificationId(key),
        plannedAt: context.now,
        event,
        ...(grouped === undefined ? {} : { grouped }),
      };
    });
  });
}
