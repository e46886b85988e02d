import { z } from 'zod';

const UrlSchema = z.url({
  protocol: /^https?$/,
  message: 'must be an http(s) URL such as http://127.0.0.1:8086',
});

/** InfluxDB 1.x: `/write` and `/query` with an optional user and password. */
export const InfluxV1ConfigSchema = z.object({
  dialect: z.literal('v1'),
  url: UrlSchema,
  database: z.string().min(1).default('fieldstation'),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
});

/**
 * InfluxDB 2.x/3.x: writes go to `/api/v2/write` with token, org and bucket; InfluxQL queries go to the
 * v1-compatibility `/query`, where `database` names the bucket's DBRP mapping.
 */
export const InfluxV2ConfigSchema = z.object({
  dialect: z.literal('v2'),
  url: UrlSchema,
  token: z.string().min(1),
  org: z.string().min(1),
  bucket: z.string().min(1),
  database: z.string().min(1),
});

export const InfluxConfigSchema = z.discriminatedUnion('dialect', [
  InfluxV1ConfigSchema,
  InfluxV2ConfigSchema,
]);

export type InfluxV1Config = z.infer<typeof InfluxV1ConfigSchema>;
export type InfluxV2Config = z.infer<typeof InfluxV2ConfigSchema>;
export type InfluxConfig = z.infer<typeof InfluxConfigSchema>;
