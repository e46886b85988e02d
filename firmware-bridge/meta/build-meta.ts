import { createHash } from 'node:crypto';
import type { Metadata, MetaMessageInput, SensorMeta } from '../../protocol/index.js';
import type { GatewayConfig, SensorConfig } from '../config/schema.js';

/** The meta message without its time: what is compared to tell whether anything changed. */
export type MetaContent = Omit<MetaMessageInput, 'v' | 'time'>;

/**
 * A calibration record without coefficients, on a sensor whose readings the gateway scales, is given
 * the scale and offset applied: a data release then says what was done to the raw values.
 */
function sensorMetadata(sensor: SensorConfig): Metadata {
  const meta: Metadata = { ...(sensor.meta ?? {}) };
  if (meta.calibration !== undefined && meta.calibration.coefficients === undefined && sensor.calibration) {
    meta.calibration = { ...meta.calibration, coefficients: { ...sensor.calibration } };
  }
  return meta;
}

/** What the config says about the station, the gateway and every sensor (listed even without metadata). */
export function buildMetaContent(config: GatewayConfig): MetaContent {
  const sensors: SensorMeta[] = config.sensors.map((sensor) => ({
    sensor: sensor.id,
    ...sensorMetadata(sensor),
  }));
  return {
    ...(config.meta?.station ? { station: config.meta.station } : {}),
    ...(config.meta?.gateway ? { gateway: config.meta.gateway } : {}),
    sensors,
  };
}

/** JSON with keys sorted at every level, so a reordered config file is not a change. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function metaHash(content: MetaContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** What the gateway last had acknowledged by the broker. */
export interface MetaPublished {
  hash: string;
  time: number;
}

/**
 * Whether to publish, and with which time: the content's own time when it is what was last
 * published (nothing to do), `nowMs` when it changed (it is new as of now).
 */
export function planMeta(
  content: MetaContent,
  last: MetaPublished | undefined,
  nowMs: number,
): { changed: boolean; hash: string; time: number } {
  const hash = metaHash(content);
  if (last?.hash === hash) return { changed: false, hash, time: last.time };
  return { changed: true, hash, time: nowMs };
}
