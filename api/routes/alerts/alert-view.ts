import { z } from 'zod';
import {
  type AlertEvent,
  AlertStateSchema,
  SeveritySchema,
  ThresholdOpSchema,
} from '../../../protocol/index.js';
import { isoTime } from '../../views/iso-time.js';

export const AlertViewSchema = z.object({
  station: z.string(),
  rule: z.string(),
  state: AlertStateSchema,
  severity: SeveritySchema,
  message: z.string(),
  gateway: z.string(),
  sensor: z.string(),
  quantity: z.string(),
  unit: z.string(),
  value: z.number(),
  op: ThresholdOpSchema,
  threshold: z.number(),
  time: z.string().describe('sample time of the reading that changed the state'),
  since: z.string().describe('when the episode began'),
});

export type AlertView = z.infer<typeof AlertViewSchema>;

export function alertView(event: AlertEvent): AlertView {
  const { v: _version, time, since, ...rest } = event;
  return { ...rest, time: isoTime(time), since: isoTime(since) };
}
