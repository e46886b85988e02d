import { ALERT_EVENT, encodePoint, optionalStr, recordPoint } from '../../influx/index.js';
import type { AlertEvent } from '../../protocol/index.js';
import type { AlertRule } from './alert-rule.js';
import { formatDuration } from './duration.js';
import type { AlertTransition } from './kinds/kind.js';

const MAX_MESSAGE_LENGTH = 500;

// Plain numbers for people: 812.4, not 812.4000000000001.
function formatNumber(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** Each kind's text when the rule gives no `message`; {relation} and {limit} follow the state. */
const DEFAULT_TEMPLATES: Readonly<Record<AlertRule['kind'], { firing: string; clear: string }>> = {
  threshold: {
    firing: '{station} {sensor}: {quantity} {value} {unit} {relation} {limit} {unit}',
    clear: '{station} {sensor}: {quantity} {value} {unit} {relation} {limit} {unit}',
  },
  rate: {
    firing:
      '{station} {sensor}: {quantity} changing at {rate} {unit}/{per} over {window}, {relation} {limit} {unit}/{per}',
    clear:
      '{station} {sensor}: {quantity} changing at {rate} {unit}/{per} over {window}, {relation} {limit} {unit}/{per}',
  },
  composite: {
    firing: '{station}: all conditions hold ({inputs})',
    clear: '{station}: conditions no longer hold ({inputs})',
  },
  deadman: {
    firing: '{station} {gateway}/{sensor}: no reading for {silence}',
    clear: '{station} {gateway}/{sensor}: readings again ({quantity} {value} {unit})',
  },
  'gateway-offline': {
    firing: '{station} {gateway}: offline for {silence}',
    clear: '{station} {gateway}: online again',
  },
  forecast: {
    firing:
      '{station} {sensor}: {quantity} {value} {unit}, trend over {window} reaches {limit} {unit} in {eta}',
    clear:
      '{station} {sensor}: {quantity} {value} {unit}, trend no longer reaches {limit} {unit} within {within}',
  },
};

function defaultTemplate(transition: AlertTransition): string {
  const base = DEFAULT_TEMPLATES[transition.rule.kind][transition.state];
  return transition.rule.description === undefined ? base : `${base} ({description})`;
}

/** The rule's comparison, where its kind has one. */
function comparison(rule: AlertRule): { op?: 'above' | 'below'; threshold?: number; clearAt?: number } {
  switch (rule.kind) {
    case 'threshold':
    case 'rate':
      return { op: rule.op, threshold: rule.threshold, clearAt: rule.clearAt };
    case 'forecast':
      return { op: rule.op, threshold: rule.limit, clearAt: rule.limit };
    default:
      return {};
  }
}

function placeholderValues(transition: AlertTransition): Record<string, string> {
  const { rule, state, cause } = transition;
  const { op, threshold, clearAt } = comparison(rule);
  const firing = state === 'firing';
  const values: Record<string, string> = {
    rule: rule.id,
    kind: rule.kind,
    station: rule.station,
    state,
    severity: rule.severity,
    description: rule.description ?? rule.id,
    gateway: transition.gateway ?? cause?.address.gateway ?? '',
    sensor: cause?.reading.sensor ?? '',
    quantity: cause?.reading.quantity ?? ('quantity' in rule ? (rule.quantity ?? '') : ''),
    value: cause === undefined ? '' : formatNumber(cause.reading.value),
    unit: cause?.reading.unit ?? ('unit' in rule ? (rule.unit ?? '') : ''),
  };
  if ('for' in rule) values.for = formatDuration(rule.for);
  if (op !== undefined && threshold !== undefined && clearAt !== undefined) {
    values.op = op;
    values.threshold = formatNumber(threshold);
    values.clearAt = formatNumber(clearAt);
    values.relation = firing ? op : `back ${op === 'above' ? 'below' : 'above'}`;
    values.limit = formatNumber(firing ? threshold : clearAt);
  }
  return { ...values, ...transition.details };
}

/** Fills a rule's template, e.g. "jinfo cave-co2-1: co2 5120 [ppm] above 5000 [ppm] (cave CO2 high)". */
export function renderAlertMessage(transition: AlertTransition): string {
  if (transition.text !== undefined) return transition.text.slice(0, MAX_MESSAGE_LENGTH);
  const values = placeholderValues(transition);
  const text = (transition.rule.message ?? defaultTemplate(transition)).replace(
    /\{([^{}]*)\}/g,
    (_, name: string) => values[name] ?? '',
  );
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_MESSAGE_LENGTH);
}

/** The contract's alert message for a transition. */
export function toAlertEvent(transition: AlertTransition): AlertEvent {
  const { rule, cause } = transition;
  const { op, threshold } = comparison(rule);
  const gateway = transition.gateway ?? cause?.address.gateway;
  const value = transition.value ?? cause?.reading.value;
  return {
    v: 1,
    station: rule.station,
    rule: rule.id,
    kind: rule.kind,
    state: transition.state,
    severity: rule.severity,
    message: renderAlertMessage(transition),
    ...(gateway === undefined ? {} : { gateway }),
    ...(cause === undefined
      ? {}
      : { sensor: cause.reading.sensor, quantity: cause.reading.quantity, unit: cause.reading.unit }),
    ...(transition.details?.sensor !== undefined && cause === undefined
      ? { sensor: transition.details.sensor }
      : {}),
    ...(value === undefined ? {} : { value }),
    ...(op === undefined ? {} : { op }),
    ...(threshold === undefined ? {} : { threshold }),
    time: transition.time,
    since: transition.since,
  };
}

/** `alert_event` point at the sample time (ms) of the reading, or clock time, that changed the state. */
export function alertEventLine(event: AlertEvent): string {
  const { sensor, gateway, value, threshold } = event;
  return encodePoint(
    recordPoint(ALERT_EVENT, {
      tags: { station: event.station, rule: event.rule, state: event.state, severity: event.severity },
      fields: {
        message: { str: event.message },
        kind: { str: event.kind },
        // The episode's start, so the history can pair a clear (and acks, deliveries) with its fire.
        since: { int: event.since },
        sensor: optionalStr(sensor),
        gateway: gateway === undefined ? undefined : { str: gateway },
        value: value === undefined ? undefined : { float: value },
        threshold: threshold === undefined ? undefined : { float: threshold },
      },
      timestamp: event.time,
    }),
  );
}
