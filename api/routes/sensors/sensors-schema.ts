import { z } from 'zod';
import { CalibrationSchema, SensorIdSchema, StationIdSchema } from '../../../protocol/index.js';
import { MetadataViewSchema } from '../../views/metadata-view.js';

export const SensorParamsSchema = z.object({ station: StationIdSchema, sensor: SensorIdSchema });

export const SensorQuerySchema = z.object({
  at: z.iso
    .datetime({ offset: true, message: 'must be an RFC 3339 time with a zone, e.g. 2026-11-27T08:00:00Z' })
    .optional()
    .describe('an instant (RFC 3339): the answer then says which calibration was in force at that time'),
});

export const CalibrationEntrySchema = CalibrationSchema.extend({
  recordedAt: z.string().describe('when the gateway first reported this calibration (RFC 3339, UTC)'),
});

export const SensorResponseSchema = z.object({
  station: z.string(),
  sensor: z.string(),
  gateway: z.string().nullable().describe('the gateway that reported the sensor last; null without metadata'),
  metadata: MetadataViewSchema.nullable().describe('the newest metadata; null if the gateway never sent any'),
  calibrations: z
    .array(CalibrationEntrySchema)
    .describe('every distinct calibration reported for the sensor, by the date it was done (in force from)'),
  at: z
    .object({
      time: z.string(),
      calibration: CalibrationEntrySchema.nullable().describe(
        'the calibration done most recently at or before `time`; null if none was done by then',
      ),
    })
    .optional()
    .describe('present when `at` was asked for'),
});

export type SensorResponse = z.infer<typeof SensorResponseSchema>;
