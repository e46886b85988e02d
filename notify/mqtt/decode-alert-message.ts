import {
  type AlertAck,
  AlertAckSchema,
  type AlertEvent,
  AlertEventSchema,
  type AlertSilence,
  AlertSilenceSchema,
  parseAlertActionTopic,
  parseAlertTopic,
} from '../../protocol/index.js';

/** What the notifier hears on the alerts tree, decoded and checked. */
export type AlertMessage =
  | { kind: 'event'; event: AlertEvent }
  | { kind: 'ack'; ack: AlertAck }
  | { kind: 'silence'; station: string; rule: string; silence: AlertSilence | undefined }
  | { kind: 'ignored' }
  | { kind: 'invalid'; reason: string };

function json(payload: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return undefined;
  }
}

function issues(error: { issues: readonly { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
}

/**
 * Decodes one message of `fs/v1/alerts/#`. A payload whose station or rule disagrees with its topic
 * is invalid: the topic is what broker rights were checked against. Empty payloads clear retained
 * messages: for a silence that lifts it, for anything else it is ignored.
 */
export function decodeAlertMessage(topic: string, payload: Uint8Array): AlertMessage {
  const address = parseAlertTopic(topic);
  if (address !== undefined) {
    if (payload.length === 0) return { kind: 'ignored' };
    const parsed = AlertEventSchema.safeParse(json(payload));
    if (!parsed.success) return { kind: 'invalid', reason: issues(parsed.error) };
    if (parsed.data.station !== address.station || parsed.data.rule !== address.rule)
      return { kind: 'invalid', reason: 'station or rule differs from the topic' };
    return { kind: 'event', event: parsed.data };
  }
  const action = parseAlertActionTopic(topic);
  if (action === undefined || action.kind === 'delivery') return { kind: 'ignored' };
  if (action.kind === 'silence' && payload.length === 0)
    return { kind: 'silence', station: action.station, rule: action.rule, silence: undefined };
  if (payload.length === 0) return { kind: 'ignored' };
  const schema = action.kind === 'ack' ? AlertAckSchema : AlertSilenceSchema;
  const parsed = schema.safeParse(json(payload));
  if (!parsed.success) return { kind: 'invalid', reason: issues(parsed.error) };
  if (parsed.data.station !== action.station || parsed.data.rule !== action.rule)
    return { kind: 'invalid', reason: 'station or rule differs from the topic' };
  if (action.kind === 'ack') return { kind: 'ack', ack: AlertAckSchema.parse(parsed.data) };
  return {
    kind: 'silence',
    station: action.station,
    rule: action.rule,
    silence: AlertSilenceSchema.parse(parsed.data),
  };
}
