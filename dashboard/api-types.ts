/**
 * The parts of the API's JSON the dashboard reads. The API's zod schemas are the source of truth;
 * test/unit/dashboard/api-types.test.ts checks at compile time that what they infer fits these, so a
 * change there that breaks the dashboard fails the typecheck. No DOM here: the pure modules share it.
 */

export type Role = 'reader' | 'technician' | 'admin';

/** GET /v1/me (the API keys contract). */
export interface Me {
  id: string;
  name: string;
  role: Role;
  stations: string[] | null;
  expiresAt: string | null;
}

/** An RFC 9457 problem document (api/problems/problem.ts). */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  code: string;
}

export interface Reading {
  time: string;
  value: number | null;
  qc: number | null;
}

export interface SensorView {
  sensor: string;
  quantity: string;
  unit: string;
  intervalMs: number | null;
  last: Reading | null;
}

export interface HealthView {
  receivedAt: string;
  time: string;
  uptimeS: number;
  outbox: { pendingMessages: number; diskBytes: number; droppedMessages: number; droppedReadings: number };
  sensors: { sensor: string; samples: number; errors: number; lastError?: string | undefined }[];
  clock: {
    state: 'synced' | 'unsynced' | 'unknown';
    source?: string | undefined;
    offsetMs?: number | undefined;
  } | null;
}

export interface GatewayView {
  gateway: string;
  state: 'online' | 'offline' | 'unknown';
  since: string | null;
  software: string | null;
  /** Technicians and admins only: a reader key gets null here. */
  health: HealthView | null;
  sensors: SensorView[];
}

export interface StationView {
  station: string;
  gateways: GatewayView[];
}

export interface StationsResponse {
  stations: StationView[];
}

export interface SeriesPoint {
  time: string;
  value: number | null;
  qc: number | null;
}

export interface Series {
  station: string;
  gateway: string;
  sensor: string;
  quantity: string;
  unit: string;
  intervalMs: number | null;
  points: SeriesPoint[];
  gaps?: [string, string][] | undefined;
}

export interface SeriesDocument {
  station: string;
  from: string;
  to: string;
  every: string | null;
  fn: string | null;
  series: Series[];
  next?: string | null | undefined;
  error?: { code: string; detail: string } | undefined;
}

export interface AlertItem {
  station: string;
  rule: string;
  kind: string;
  state: 'firing' | 'clear';
  severity: string;
  message: string;
  gateway?: string | undefined;
  sensor?: string | undefined;
  value?: number | undefined;
  unit?: string | undefined;
  time: string;
  since: string;
}

export interface AlertListItem extends AlertItem {
  ack: { by: string; time: string; comment?: string | undefined } | null;
  silence: { until: string; by: string; comment?: string | undefined } | null;
}

export interface AlertsResponse {
  alerts: AlertListItem[];
}

export interface HistoryEntry {
  time: string;
  type: 'fire' | 'clear' | 'ack' | 'silence' | 'lift' | 'delivery';
  station: string;
  rule: string;
  severity?: string | undefined;
  message?: string | undefined;
  by?: string | undefined;
  comment?: string | undefined;
  until?: string | undefined;
  channel?: string | undefined;
  subscriber?: string | undefined;
  outcome?: string | undefined;
}

export interface HistoryResponse {
  entries: HistoryEntry[];
  next: string | null;
}

export interface QuarantineRecord {
  time: string;
  code: string;
  station: string | null;
  gateway: string | null;
  topic: string | null;
  reason: string | null;
  payload: string | null;
  payloadTruncated: boolean;
  bytes: number | null;
}

export interface QuarantineResponse {
  records: QuarantineRecord[];
  next: string | null;
}

export interface CompletenessWindow {
  from: string;
  to: string;
  expected: number | null;
  received: number;
  missing: number | null;
}

export interface CompletenessDocument {
  station: string;
  from: string;
  to: string;
  every: string | null;
  gateways: {
    gateway: string;
    windows: { from: string; to: string; messages: number | null; duplicates: number | null }[];
    sensors: { sensor: string; quantity: string; intervalMs: number | null; windows: CompletenessWindow[] }[];
  }[];
}
