import { z } from 'zod';
import {
  type AlertAck,
  type AlertEvent,
  AlertEventSchema,
  type AlertSilence,
} from '../../../protocol/index.js';
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

/** A firing rule in `GET /v1/alerts`: the event, and who is on it. */
export const AlertListItemSchema = AlertViewSchema.extend({
  ack: z
    .object({ by: z.string(), time: z.string(), comment: z.string().optional() })
    .nullable()
    .describe('the acknowledgement of this episode; null while nobody has acknowledged it'),
  silence: z
    .object({ until: z.string(), by: z.string(), comment: z.string().optional() })
    .nullable()
    .describe("the silence in force on the rule's notifications; null when there is none"),
});

export type AlertListItem = z.infer<typeof AlertListItemSchema>;

/** `ack` and `silence` as they apply (see appliedActions): the caller has checked episode and time. */
export function alertListItem(
  event: AlertEvent,
  ack: AlertAck | undefined,
  silence: AlertSilence | undefined,
): AlertListItem {
  return {
    ...alertView(event),
    ack:
      ack === undefined
        ? null
        : {
            by: ack.by,
            time: isoTime(ack.time),
            ...(ack.comment === undefined ? {} : { comment: ack.comment }),
          },
    silence:
      silence === undefined
        ? null
        : {
            until: isoTime(silence.until),
            by: silence.by,
            ...(silence.comment === undefined ? {} : { comment: silence.comment }),
          },
  };
}
