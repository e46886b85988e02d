import { isoTime } from '../../views/iso-time.js';
import type { Gap } from '../series/gaps.js';
import type { CompletenessRequest } from './completeness-params.js';
import type {
  CompletenessDocument,
  GatewayCompleteness,
  GatewayWindow,
  SensorCompleteness,
  SensorWindow,
} from './completeness-schema.js';
import type { MessageCounts } from './running-totals.js';
import { type SensorRow, sensorRowKey } from './sensor-rows.js';
import type { WindowGaps } from './window-gaps.js';
import { expectedReadings, type Window } from './windows.js';

/** What the queries found, keyed by gateway or by sensorRowKey. */
export interface CompletenessFindings {
  windows: readonly Window[];
  rows: readonly SensorRow[];
  received: ReadonlyMap<string, readonly number[]>;
  messages: ReadonlyMap<string, readonly (MessageCounts | null)[]>;
  gaps: ReadonlyMap<string, WindowGaps>;
}

const isoGap = ([from, to]: Gap): [string, string] => [isoTime(from), isoTime(to)];

function sensorWindow(
  window: Window,
  index: number,
  row: SensorRow,
  found: CompletenessFindings,
): SensorWindow {
  const received = found.received.get(sensorRowKey(row))?.[index] ?? 0;
  const expected = row.intervalMs === undefined ? null : expectedReadings(window, row.intervalMs);
  const gaps = found.gaps.get(sensorRowKey(row));
  return {
    from: isoTime(window.startMs),
    to: isoTime(window.endMs),
    expected,
    received,
    missing: expected === null ? null : Math.max(0, expected - received),
    gaps: gaps === undefined ? null : (gaps.gaps[index] ?? []).map(isoGap),
    gapsTruncated: gaps?.truncated[index] ?? false,
  };
}

function sensorCompleteness(row: SensorRow, found: CompletenessFindings): SensorCompleteness {
  return {
    sensor: row.sensor,
    quantity: row.quantity,
    intervalMs: row.intervalMs ?? null,
    windows: found.windows.map((window, index) => sensorWindow(window, index, row, found)),
  };
}

function gatewayWindow(window: Window, counts: MessageCounts | null | undefined): GatewayWindow {
  return {
    from: isoTime(window.startMs),
    to: isoTime(window.endMs),
    messages: counts?.messages ?? null,
    duplicates: counts?.duplicates ?? null,
    late: counts?.late ?? null,
  };
}

function gatewayCompleteness(gateway: string, found: CompletenessFindings): GatewayCompleteness {
  const counts = found.messages.get(gateway);
  return {
    gateway,
    windows: found.windows.map((window, index) => gatewayWindow(window, counts?.[index])),
    sensors: found.rows.filter((row) => row.gateway === gateway).map((row) => sensorCompleteness(row, found)),
  };
}

/**
 * The report: every gateway with sensor rows and, unless one sensor was asked for, every gateway
 * with message totals in the range, in gateway order.
 */
export function completenessDocument(
  request: CompletenessRequest,
  found: CompletenessFindings,
): CompletenessDocument {
  const { selection } = request;
  const gateways = new Set(found.rows.map((row) => row.gateway));
  if (selection.sensor === undefined) for (const gateway of found.messages.keys()) gateways.add(gateway);
  return {
    station: selection.station,
    from: isoTime(selection.fromMs),
    to: isoTime(selection.toMs),
    every: request.every ?? null,
    gateways: [...gateways]
      .sort((a, b) => a.localeCompare(b))
      .map((gateway) => gatewayCompleteness(gateway, found)),
  };
}
