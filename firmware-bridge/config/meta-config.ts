import { z } from 'zod';
import {
  CalibrationSchema,
  futureDates,
  type Metadata,
  MetadataSchema,
  metadataDates,
  PositionSchema,
} from '../../protocol/index.js';

/**
 * The contract's metadata, strict: on the wire unknown keys are ignored so the contract can grow,
 * but in a config a misspelt key (`serialNumber`) would silently vanish from every data release.
 */
export const MetadataConfigSchema = z.strictObject({
  ...MetadataSchema.shape,
  position: z.strictObject(PositionSchema.shape).optional(),
  calibration: z.strictObject(CalibrationSchema.shape).optional(),
});

/** The config's top-level `meta`: what the gateway says about its station and itself. */
export const GatewayMetaConfigSchema = z.strictObject({
  station: MetadataConfigSchema.optional(),
  gateway: MetadataConfigSchema.optional(),
});

export type MetadataConfig = z.output<typeof MetadataConfigSchema>;

interface MetaBearing {
  meta?: { station?: Metadata; gateway?: Metadata } | undefined;
  sensors: readonly { meta?: Metadata | undefined }[];
}

/**
 * Installation and calibration dates after now are typos or a wrong clock on the machine that wrote
 * the config; either way the gateway must not announce them. `nowMs` is passed in so tests can fix it.
 */
export function checkMetaDates(config: MetaBearing, ctx: z.RefinementCtx, nowMs: number): void {
  const dates = [
    ...(config.meta?.station ? metadataDates(config.meta.station, ['meta', 'station']) : []),
    ...(config.meta?.gateway ? metadataDates(config.meta.gateway, ['meta', 'gateway']) : []),
    ...config.sensors.flatMap((sensor, index) =>
      sensor.meta ? metadataDates(sensor.meta, ['sensors', index, 'meta']) : [],
    ),
  ];
  for (const date of futureDates(dates, nowMs)) {
    ctx.addIssue({ code: 'custom', path: date.path, message: `${date.text} is in the future` });
  }
}
