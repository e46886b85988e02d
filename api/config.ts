import { hostname } from 'node:os';
import { z } from 'zod';
import { InfluxConfigSchema } from '../influx/index.js';

export const ApiMqttConfigSchema = z
  .object({
    url: z.url({
      protocol: /^(mqtt|mqtts|tcp|tls|ws|wss)$/,
      message: 'must be an MQTT URL such as mqtt://127.0.0.1:1883',
    }),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    // The API's session is clean, so its id only has to be unique: two API processes sharing one id
    // would take the connection from each other in turn.
    clientId: z
      .string()
      .min(1)
      .max(64)
      .default(() => `fs-api-${hostname().slice(0, 32)}-${process.pid}`),
  })
  .strict();

export const ApiConfigSchema = z
  .object({
    host: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8080),
    influx: InfluxConfigSchema,
    mqtt: ApiMqttConfigSchema,
    /** The API keys (hashed), shared with `fieldstation apikey`; read again whenever it changes. */
    keysFile: z.string().min(1),
  })
  .strict();

export type ApiMqttConfig = z.infer<typeof ApiMqttConfigSchema>;
export type ApiConfig = z.infer<typeof ApiConfigSchema>;
export type ApiConfigInput = z.input<typeof ApiConfigSchema>;
