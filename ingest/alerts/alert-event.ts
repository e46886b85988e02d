import { ALERT_EVENT_MEASUREMENT, encodePoint } from '../../influx/index.js';
import type { AlertEvent } from '../../protocol/index.js';
import type { AlertRule } from './alert-rule.js';
import type { AlertTransition } from './evaluate-rule.js';

const MAX_MESSAGE_LENGTH = 500;

// Plain numbers for people: 812.4, not 812.4000000000001.
function formatNumber(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function defaultTemplate(rule: AlertRule): string {
  const base = '{station} {sensor}: {quantity} {value} {unit} {relation} {limit} {unit}';
  return rule.description === undefined ? base : `${base} ({description})`;
}

/** Fills a rule's template, e.g. "jinfo cave-co2-1: co2 5120 [ppm] above 5000 [ppm] (cave CO2 high)". */
export function renderAlertMessage(transition: AlertTransition): string {
  const { rule, state, cause } = transition;
  const firing = state === 'firing';
  const values: Record<string, string> = {
    rule: rule.id,
    station: cause.address.station,
    gateway: cause.address.gateway,
    sensor: cause.reading.sensor,
    quantity: cause.reading.quantity,
    value: formatNumber(cause.reading.value),
    unit: cause.reading.unit,
    state,
    severity: rule.severity,
    op: rule.op,
    threshold: formatNumber(rule.threshold),
    clearAt: formatNumber(rule.clearAt),
    relation: firing ? rule.op : `back ${rule.op === 'above' ? 'below' : 'above'}`,
    limit: formatNumber(firing ? rule.threshold : rule.clearAt),
    description: rule.description ?? rule.id,
  };
  const text = (rule.message ?? defaultTemplate(rule)).replace(
    /\{([^{}]*)\}/g,
    (_, name: string) => values[name] ?? '',
  );
  return text.slice(0, MAX_MESSAGE_LENGTH);
}

/** The contract's alert message for a transition. */
export function toAlertEvent(transition: AlertTransition): AlertEvent {
  const { rule, cause } = transition;
  return {
    v: 1,
    station: rule.station,
    rule: rule.id,
    kind: 'threshold',
    state: transition.state,
    severity: rule.severity,
    message: renderAlertMessage(transition),
    gateway: cause.address.gateway,
    sensor: cause.reading.sensor,
    quantity: cause.reading.quantity,
    unit: cause.reading.unit,
    value: cause.reading.value,
    op: rule.op,
    threshold: rule.threshold,
    time: cause.reading.time,
    since: transition.since,
  };
}

/** `alert_event` point at the sample time (ms) of the reading that changed the state. */
export function alertEventLine(event: AlertEvent): string {
  const { sensor, gateway, value, threshold } = event;
  return encodePoint({
    measurement: ALERT_EVENT_MEASUREMENT,
    tags: { station: event.station, rule: event.rule, state: event.state, severity: event.severity },
    fields: {
      message: { str: event.message },
      kind: { str: event.kind },
      ...(sensor === undefined ? {} : { sensor: { str: sensor } }),
      ...(gateway === undefined ? {} : { gateway: { str: gateway } }),
      ...(value === undefined ? {} : { value: { float: value } }),
      ...(threshold === undefined ? {} : { threshold: { float: threshold } }),
    },
    timestamp: event.time,
  });
}
