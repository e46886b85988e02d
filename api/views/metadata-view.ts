import { z } from 'zod';
import { MetadataSchema } from '../../protocol/index.js';
import type { MetadataRecord } from '../queries/metadata-rows.js';
import { isoTime } from './iso-time.js';

/** What the newest meta message says about a station, a gateway or a sensor, and since when. */
export const MetadataViewSchema = MetadataSchema.extend({
  since: z.string().describe('time of the meta message that said so (RFC 3339, UTC)'),
  reportedBy: z.string().describe('the gateway whose meta message this is'),
}).describe(
  'position (WGS 84, elevation in m), make, model, serial number, installation date, the calibration in force and a description, as far as the gateway knows them',
);

export type MetadataView = z.infer<typeof MetadataViewSchema>;

export function metadataView(record: MetadataRecord): MetadataView {
  return { ...record.metadata, since: isoTime(record.time), reportedBy: record.gateway };
}
