import { z } from 'zod';
import { type AlertEvent, AlertEventSchema } from '../../../protocol/index.js';
import { isoTime } from '../../views/iso-time.js';

/** The contract's alert event as the API shows it: without the version, times as RFC 3339 strings. */
export const AlertViewSchema = AlertEventSchema.omit({ v: true }).extend({
  time: z.string().describe('sample time of the reading that changed the state'),
  since: z.string().describe('when the episode began'),
});

export type AlertView = z.infer<typeof AlertViewSchema>;

export function alertView(event: AlertEvent): AlertView {
  const { v: _version, time, since, ...rest } = event;
  return { ...rest, time: isoTime(time), since: isoTime(since) };
}
