import type { MetricFamily } from '../../metrics/index.js';
import { type BrokerStats, createCounters } from '../broker-stats.js';

const PREFIX = 'fieldstation_broker_';

/** The window the message rates are averaged over. */
export const RATE_WINDOW_SECONDS = 10;

interface StatDescription {
  /** The family name after the prefix and before `_total`; the field in snake case when absent. */
  name?: string;
  help: string;
}

/**
 * HELP text of the stats fields known today. A field added to BrokerStats later is exposed all the
 * same (see `describe`), so a new counter reaches Prometheus before anyone writes its description.
 */
const DESCRIPTIONS: Readonly<Record<string, StatDescription>> = {
  connections: { help: 'MQTT clients connected now' },
  keptSessions: { help: 'Client ids whose session the broker keeps for an owning account' },
  authFailures: { help: 'Connections refused, for any reason' },
  clientIdRefused: { help: "Connections refused for using another account's client id" },
  publishDenied: { help: 'Publishes refused by the topic rights of the account' },
  subscribeDenied: { help: 'Subscriptions refused by the topic rights of the account' },
  forwardWithheld: { help: "Message copies not delivered because the subscriber's rights deny their topic" },
  oversized: { name: 'oversized_packets', help: 'Packets refused for exceeding the size limit' },
  retainCleared: { help: 'Publishes whose retain flag the contract forbids and the broker cleared' },
  messagesIn: { help: 'PUBLISH packets accepted from clients' },
  messagesOut: { help: 'Message copies forwarded to subscribers (one per subscriber and message)' },
  limitHits: {
    help: 'Times each limit (kind: its key in the limits config) refused a connection, dropped a message or disconnected a client',
  },
};

// Fields the hooks count up are counters by construction; everything else stats() reports
// (connections, queue depths) is a value of the moment, a gauge.
const COUNTER_FIELDS: ReadonlySet<string> = new Set(Object.keys(createCounters()));

function snakeCase(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function describe(field: string): { name: string; type: MetricFamily['type']; help: string } {
  const known = DESCRIPTIONS[field];
  const type = COUNTER_FIELDS.has(field) ? 'counter' : 'gauge';
  const base = `${PREFIX}${known?.name ?? snakeCase(field)}`;
  return {
    name: type === 'counter' ? `${base}_total` : base,
    type,
    help: known?.help ?? `BrokerServer.stats().${field}`,
  };
}

function isNumberRecord(value: unknown): value is Record<string, number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((entry) => typeof entry === 'number')
  );
}

/**
 * Every numeric field of the stats becomes a family of one sample; a field that holds numbers by
 * key (denials or limit hits by kind) becomes one family with a `kind` label per key.
 */
export function brokerStatFamilies(stats: BrokerStats): MetricFamily[] {
  const families: MetricFamily[] = [];
  for (const [field, value] of Object.entries(stats) as [string, unknown][]) {
    if (typeof value === 'number') {
      families.push({ ...describe(field), samples: [{ value }] });
    } else if (isNumberRecord(value)) {
      const samples = Object.entries(value).map(([kind, count]) => ({ labels: { kind }, value: count }));
      families.push({ ...describe(field), samples });
    }
  }
  return families;
}

/** What the operations part measures on top of the stats. */
export interface TrafficRates {
  messagesInPerSecond: number;
  messagesOutPerSecond: number;
}

export interface BrokerSnapshot {
  stats: BrokerStats;
  rates: TrafficRates;
  /** Retained messages at the last count; undefined before the first count has finished. */
  retained: number | undefined;
}

function gauge(name: string, help: string, value: number): MetricFamily {
  return { name: `${PREFIX}${name}`, help, type: 'gauge', samples: [{ value }] };
}

/** The broker's families for /metrics: its stats, the message rates and the retained count. */
export function brokerMetricFamilies(snapshot: BrokerSnapshot): MetricFamily[] {
  const { rates, retained } = snapshot;
  return [
    ...brokerStatFamilies(snapshot.stats),
    gauge(
      'messages_in_per_second',
      `PUBLISH packets accepted from clients per second, over the last ${RATE_WINDOW_SECONDS} s`,
      rates.messagesInPerSecond,
    ),
    gauge(
      'messages_out_per_second',
      `Message copies forwarded to subscribers per second, over the last ${RATE_WINDOW_SECONDS} s`,
      rates.messagesOutPerSecond,
    ),
    ...(retained === undefined
      ? []
      : [gauge('retained_messages', 'Retained messages the broker holds, as last counted', retained)]),
  ];
}
