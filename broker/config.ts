import { z } from 'zod';
import { MAX_PAYLOAD_BYTES } from '../protocol/index.js';

/** Room for the fixed header, topic, packet id and MQTT 5 properties around the largest payload. */
const HEADER_ROOM_BYTES = 64 * 1024;

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
  })
  .strict();

export type BrokerConfig = z.infer<typeof BrokerConfigSchema>;
export type BrokerConfigInput = z.input<typeof BrokerConfigSchema>;
