import type { AlertAck, AlertEvent, AlertSilence, AlertTopic } from '../../../protocol/index.js';
import { ApiError } from '../../errors.js';
import type { ActionPublisher } from '../../live/action-publisher.js';
import type { LiveView } from '../../live/live-view.js';

/** What the write routes work with: the live state to check against, the way out, the clock. */
export interface ActionContext {
  live: Pick<LiveView, 'alert' | 'alerts' | 'silence'>;
  publisher: ActionPublisher;
  now: () => number;
}

export interface ActorRequest {
  by: string;
  comment?: string | undefined;
}

function knownRule(live: ActionContext['live'], address: AlertTopic): AlertEvent {
  const event = live.alert(address);
  if (event === undefined) {
    throw new ApiError(
      'ALERT_RULE_UNKNOWN',
      `no rule ${address.rule} of station ${address.station} has published an alert`,
      404,
    );
  }
  return event;
}

const withComment = (comment: string | undefined) => (comment === undefined ? {} : { comment });

/** Acknowledges the episode of the rule that is firing now; 404 unknown rule, 409 not firing. */
export async function acknowledge(
  context: ActionContext,
  address: AlertTopic,
  request: ActorRequest,
): Promise<AlertAck> {
  const event = knownRule(context.live, address);
  if (event.state !== 'firing') {
    throw new ApiError(
      'ALERT_NOT_FIRING',
      `rule ${address.rule} of station ${address.station} is clear since ${new Date(event.time).toISOString()}; there is nothing to acknowledge`,
      409,
    );
  }
  const ack: AlertAck = {
    v: 1,
    station: address.station,
    rule: address.rule,
    since: event.since,
    by: request.by,
    ...withComment(request.comment),
    time: context.now(),
  };
  await context.publisher.publish({ kind: 'ack', body: ack });
  return ack;
}

function silenceOf(address: AlertTopic, request: ActorRequest, untilMs: number, nowMs: number): AlertSilence {
  return {
    v: 1,
    station: address.station,
    rule: address.rule,
    until: untilMs,
    by: request.by,
    ...withComment(request.comment),
    time: nowMs,
  };
}

/** Silences one known rule until `untilMs` (already checked against the limits). */
export async function silenceRule(
  context: ActionContext,
  address: AlertTopic,
  request: ActorRequest,
  untilMs: number,
): Promise<AlertSilence> {
  knownRule(context.live, address);
  const silence = silenceOf(address, request, untilMs, context.now());
  await context.publisher.publish({ kind: 'silence', body: silence });
  return silence;
}

/**
 * Maintenance: one retained silence per rule the API knows for the station. All are published at
 * once; if the broker takes only some, the 503 names which rules are silenced and which are not.
 */
export async function silenceStation(
  context: ActionContext,
  station: string,
  request: ActorRequest,
  untilMs: number,
): Promise<AlertSilence[]> {
  const rules = context.live.alerts().filter((event) => event.station === station);
  if (rules.length === 0) {
    throw new ApiError('ALERT_STATION_UNKNOWN', `no rule of station ${station} has published an alert`, 404);
  }
  const nowMs = context.now();
  const silences = rules
    .map((event) => silenceOf({ station, rule: event.rule }, request, untilMs, nowMs))
    .sort((a, b) => a.rule.localeCompare(b.rule));
  const outcomes = await Promise.allSettled(
    silences.map((silence) => context.publisher.publish({ kind: 'silence', body: silence })),
  );
  const failed = silences.filter((_, i) => outcomes[i]?.status === 'rejected').map((s) => s.rule);
  if (failed.length > 0) {
    const done = silences.map((s) => s.rule).filter((rule) => !failed.includes(rule));
    throw new ApiError(
      'MQTT_UNREACHABLE',
      `the MQTT broker did not confirm the silence of ${failed.join(', ')}` +
        (done.length > 0 ? ` (${done.join(', ')} are silenced)` : '') +
        '; try again later',
      503,
    );
  }
  return silences;
}

/** Publishes the empty retained payload that lifts a silence; returns the one lifted, if any. */
export async function liftSilence(
  context: ActionContext,
  address: AlertTopic,
): Promise<AlertSilence | undefined> {
  const previous = context.live.silence(address);
  // A silence left behind by a rule that no longer publishes may still be lifted.
  if (previous === undefined) knownRule(context.live, address);
  await context.publisher.publish({ kind: 'lift', address });
  return previous;
}

/** Silences in force at `nowMs`, soonest to end first. */
export function activeSilences(silences: readonly AlertSilence[], nowMs: number): AlertSilence[] {
  return silences.filter((silence) => silence.until > nowMs).sort((a, b) => a.until - b.until);
}

/** The ack and silence that apply to a rule's current event: the ack only for its episode. */
export function appliedActions(
  event: AlertEvent,
  ack: AlertAck | undefined,
  silence: AlertSilence | undefined,
  nowMs: number,
): { ack: AlertAck | undefined; silence: AlertSilence | undefined } {
  return {
    ack: ack !== undefined && ack.since === event.since ? ack : undefined,
    silence: silence !== undefined && silence.until > nowMs ? silence : undefined,
  };
}
