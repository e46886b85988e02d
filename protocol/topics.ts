import { z } from 'zod';
import {
  GATEWAY_KINDS,
  GatewayIdSchema,
  type GatewayKind,
  isSlug,
  RuleIdSchema,
  StationIdSchema,
} from './identifiers.js';

/** Every topic of the contract starts with this versioned root. */
export const TOPIC_ROOT = 'fs/v1';
export const ALERTS_SEGMENT = 'alerts';

/** What people and the notifier add to a rule's topic: `fs/v1/alerts/{station}/{rule}/{kind}`. */
export const ALERT_ACTION_KINDS = ['ack', 'silence', 'delivery'] as const;
export type AlertActionKind = (typeof ALERT_ACTION_KINDS)[number];

// `alerts` is the alerts segment of the tree, so it can never be a station in a gateway topic.
export const GatewayAddressSchema = z.object({
  station: StationIdSchema.refine((station) => station !== ALERTS_SEGMENT),
  gateway: GatewayIdSchema,
});
export const GatewayTopicSchema = GatewayAddressSchema.extend({ kind: z.enum(GATEWAY_KINDS) });
export const AlertTopicSchema = z.object({ station: StationIdSchema, rule: RuleIdSchema });
export const AlertActionTopicSchema = AlertTopicSchema.extend({ kind: z.enum(ALERT_ACTION_KINDS) });

export type GatewayAddress = z.infer<typeof GatewayAddressSchema>;
export type GatewayTopic = z.infer<typeof GatewayTopicSchema>;
export type AlertTopic = z.infer<typeof AlertTopicSchema>;
export type AlertActionTopic = z.infer<typeof AlertActionTopicSchema>;

export class TopicError extends Error {
  readonly code = 'TOPIC_INVALID';
  constructor(
    message: string,
    readonly topic: string,
  ) {
    super(message);
    this.name = 'TopicError';
  }
}

function requireSlug(role: string, value: string): string {
  if (!isSlug(value)) {
    throw new TopicError(`${role} "${value}" is not a slug (a-z, 0-9, "-")`, value);
  }
  return value;
}

export function gatewayTopic(address: GatewayAddress, kind: GatewayKind): string {
  return `${TOPIC_ROOT}/${requireSlug('station', address.station)}/${requireSlug('gateway', address.gateway)}/${kind}`;
}

export function gatewayPrefix(address: GatewayAddress): string {
  return `${TOPIC_ROOT}/${requireSlug('station', address.station)}/${requireSlug('gateway', address.gateway)}/`;
}

export function alertTopic(address: AlertTopic): string {
  return `${TOPIC_ROOT}/${ALERTS_SEGMENT}/${requireSlug('station', address.station)}/${requireSlug('rule', address.rule)}`;
}

export function alertActionTopic(address: AlertTopic, kind: AlertActionKind): string {
  return `${alertTopic(address)}/${kind}`;
}

/** Subscription filters for consumers. */
export const SUBSCRIPTIONS = {
  readings: `${TOPIC_ROOT}/+/+/readings`,
  status: `${TOPIC_ROOT}/+/+/status`,
  health: `${TOPIC_ROOT}/+/+/health`,
  meta: `${TOPIC_ROOT}/+/+/meta`,
  alerts: `${TOPIC_ROOT}/${ALERTS_SEGMENT}/#`,
  /** Rules' events only, without the acks, silences and deliveries beneath them. */
  alertEvents: `${TOPIC_ROOT}/${ALERTS_SEGMENT}/+/+`,
  alertActions: `${TOPIC_ROOT}/${ALERTS_SEGMENT}/+/+/+`,
} as const;

/** Parses `fs/v1/{station}/{gateway}/{kind}`; returns undefined for any other topic. */
export function parseGatewayTopic(topic: string): GatewayTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return undefined;
  const [, , station, gateway, kind] = parts;
  const parsed = GatewayTopicSchema.safeParse({ station, gateway, kind });
  return parsed.success ? parsed.data : undefined;
}

/** Parses `fs/v1/alerts/{station}/{rule}`; returns undefined for any other topic. */
export function parseAlertTopic(topic: string): AlertTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT || parts[2] !== ALERTS_SEGMENT)
    return undefined;
  const [, , , station, rule] = parts;
  const parsed = AlertTopicSchema.safeParse({ station, rule });
  return parsed.success ? parsed.data : undefined;
}

/** Parses `fs/v1/alerts/{station}/{rule}/{ack|silence|delivery}`; undefined for any other topic. */
export function parseAlertActionTopic(topic: string): AlertActionTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 6 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT || parts[2] !== ALERTS_SEGMENT)
    return undefined;
  const [, , , station, rule, kind] = parts;
  const parsed = AlertActionTopicSchema.safeParse({ station, rule, kind });
  return parsed.success ? parsed.data : undefined;
}
