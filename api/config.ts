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

/**
 * Reverse proxies in front of the API, by address or CIDR range: from them alone X-Forwarded-For is
 * believed, so the key throttle counts each client behind a proxy, not the proxy as one client that
 * any of them could get blocked for all. From anyone else the header is ignored, so it cannot be
 * forged to escape a block.
 */
export const TrustedProxiesSchema = z
  .array(
    z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], { error: 'must be an IP address or CIDR range' }),
  )
  .default([]);

export const ApiConfigSchema = z
  .object({
    host: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8080),
    trustedProxies: TrustedProxiesSchema,
    influx: InfluxConfigSchema,
    mqtt: ApiMqttConfigSchema,
    /** The API keys (hashed), shared with `fieldstation apikey`; read again whenever it changes. */
    keysFile: z.string().min(1),
  })
  .strict();

export type ApiMqttConfig = z.infer<typeof ApiMqttConfigSchema>;
export type ApiConfig = z.infer<typeof ApiConfigSchema>;
export type ApiConfigInput = z.input<typeof ApiConfigSchema>;
