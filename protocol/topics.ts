import { GATEWAY_KINDS, type GatewayKind, isSlug } from './identifiers.js';

/** Every topic of the contract starts with this versioned root. */
export const TOPIC_ROOT = 'fs/v1';
export const ALERTS_SEGMENT = 'alerts';

export interface Delivery {
  qos: 0 | 1;
  retain: boolean;
}

/** QoS and retain flag per message kind: the only place that decides them. */
export const DELIVERY: Readonly<Record<GatewayKind | 'alert', Delivery>> = {
  readings: { qos: 1, retain: false },
  status: { qos: 1, retain: true },
  health: { qos: 0, retain: false },
  alert: { qos: 1, retain: true },
};

export interface GatewayAddress {
  station: string;
  gateway: string;
}

export interface GatewayTopic extends GatewayAddress {
  kind: GatewayKind;
}

export interface AlertTopic {
  station: string;
  rule: string;
}

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

/** Subscription filters for consumers. */
export const SUBSCRIPTIONS = {
  readings: `${TOPIC_ROOT}/+/+/readings`,
  status: `${TOPIC_ROOT}/+/+/status`,
  health: `${TOPIC_ROOT}/+/+/health`,
  alerts: `${TOPIC_ROOT}/${ALERTS_SEGMENT}/#`,
} as const;

function isGatewayKind(value: string): value is GatewayKind {
  return (GATEWAY_KINDS as readonly string[]).includes(value);
}

/** Parses `fs/v1/{station}/{gateway}/{kind}`; returns undefined for any other topic. */
export function parseGatewayTopic(topic: string): GatewayTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return undefined;
  const [, , station = '', gateway = '', kind = ''] = parts;
  if (station === ALERTS_SEGMENT || !isSlug(station) || !isSlug(gateway) || !isGatewayKind(kind))
    return undefined;
  return { station, gateway, kind };
}

/** Parses `fs/v1/alerts/{station}/{rule}`; returns undefined for any other topic. */
export function parseAlertTopic(topic: string): AlertTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT || parts[2] !== ALERTS_SEGMENT)
    return undefined;
  const [, , , station = '', rule = ''] = parts;
  if (!isSlug(station) || !isSlug(rule)) return undefined;
  return { station, rule };
}
