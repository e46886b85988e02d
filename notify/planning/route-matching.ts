import type { AlertEvent, Severity } from '../../protocol/index.js';
import type { Route } from '../subscribers/subscribers-schema.js';

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

/** Whether a route covers an event's station, rule and severity. */
export function routeMatches(route: Route, event: AlertEvent): boolean {
  if (route.stations !== undefined && !route.stations.includes(event.station)) return false;
  if (route.rules !== 'all' && !route.rules.includes(event.rule)) return false;
  return SEVERITY_RANK[event.severity] >= SEVERITY_RANK[route.minSeverity];
}
