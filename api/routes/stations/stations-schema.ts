import { z } from 'zod';
import { ClockHealthSchema, OutboxHealthSchema, SensorHealthSchema } from '../../../protocol/index.js';
import { MetadataViewSchema } from '../../views/metadata-view.js';
import { ReadingValueSchema } from '../../views/reading-view.js';

export const SensorViewSchema = z.object({
  sensor: z.string(),
  quantity: z.string(),
  unit: z.string(),
  intervalMs: z.number().nullable().describe('sampling interval from the gateway status, if announced'),
  last: ReadingValueSchema.nullable().describe('newest reading in InfluxDB; null if none yet'),
  metadata: MetadataViewSchema.nullable().describe(
    "the sensor's latest metadata; null if its gateway never sent any",
  ),
});

export const HealthViewSchema = z.object({
  receivedAt: z.string(),
  time: z.string(),
  uptimeS: z.number(),
  outbox: OutboxHealthSchema,
  published: z.object({ messages: z.number(), readings: z.number() }),
  sensors: z.array(SensorHealthSchema),
  clock: ClockHealthSchema.nullable().describe(
    "the gateway's own judgement of its clock; null if it sent none",
  ),
});

export const GatewayViewSchema = z.object({
  gateway: z.string(),
  state: z.enum(['online', 'offline', 'unknown']).describe('unknown: no status message heard (data only)'),
  since: z.string().nullable().describe('when the gateway entered its state'),
  software: z.string().nullable(),
  health: HealthViewSchema.nullable().describe('last periodic health report; null for reader keys'),
  metadata: MetadataViewSchema.nullable().describe("the gateway's latest metadata; null if none"),
  sensors: z.array(SensorViewSchema),
});

export const StationViewSchema = z.object({
  station: z.string(),
  metadata: MetadataViewSchema.nullable().describe(
    "the station's latest metadata, from whichever of its gateways said so last; null if none",
  ),
  gateways: z.array(GatewayViewSchema),
});

export const StationsResponseSchema = z.object({ stations: z.array(StationViewSchema) });

export type SensorView = z.infer<typeof SensorViewSchema>;
export type HealthView = z.infer<typeof HealthViewSchema>;
export type GatewayView = z.infer<typeof GatewayViewSchema>;
export type StationView = z.infer<typeof StationViewSchema>;
