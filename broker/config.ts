import { z } from 'zod';
import { MAX_PAYLOAD_BYTES } from '../protocol/index.js';
import { BrokerLimitsSchema } from './limits/limits-config.js';
import { TlsListenerConfigSchema, WebSocketListenerConfigSchema } from './listeners/listener-config.js';
import { PersistenceConfigSchema } from './persistence/persistence-config.js';

/** Room for the fixed header, topic, packet id and MQTT 5 properties around the largest payload. */
const HEADER_ROOM_BYTES = 64 * 1024;

export const OperationsHttpConfigSchema = z
  .object({
    host: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535),
  })
  .strict();

export const BrokerConfigSchema = z
  .object({
    host: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(1883),
    credentialsFile: z.string().min(1).describe('path of the JSON credentials file'),
    maxPacketBytes: z
      .number()
      .int()
      .positive()
      .default(MAX_PAYLOAD_BYTES + HEADER_ROOM_BYTES),
    tls: TlsListenerConfigSchema.optional().describe('MQTT over TLS; off when absent'),
    websocket: WebSocketListenerConfigSchema.optional().describe('MQTT over WebSocket; off when absent'),
    http: OperationsHttpConfigSchema.optional().describe('/metrics and /healthz over HTTP; off when absent'),
    sysStatsIntervalMs: z
      .number()
      .int()
      .min(0)
      .default(10_000)
      .describe('period of the $SYS/<id>/stats message for operators; 0 turns it off'),
    limits: BrokerLimitsSchema.prefault({}).describe('per-client and per-account limits'),
    persistence: PersistenceConfigSchema.default({ type: 'memory' }).describe(
      'where sessions, queued messages and retained messages are kept',
    ),
  })
  .strict();

export type BrokerConfig = z.infer<typeof BrokerConfigSchema>;
export type BrokerConfigInput = z.input<typeof BrokerConfigSchema>;
