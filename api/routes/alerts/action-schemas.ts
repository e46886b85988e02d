import { z } from 'zod';
import {
  type AlertAck,
  AlertAckSchema,
  type AlertSilence,
  RuleIdSchema,
  StationIdSchema,
} from '../../../protocol/index.js';
import { isoTime } from '../../views/iso-time.js';
import { SILENCE_DURATION_PATTERN, SILENCE_MAX_TEXT } from './silence-end.js';

export const RuleParamsSchema = z.object({ station: StationIdSchema, rule: RuleIdSchema });
export const StationParamsSchema = z.object({ station: StationIdSchema });

// The contract's own bounds, so the API refuses what no subscriber would accept.
const BySchema = AlertAckSchema.shape.by.describe('who does it: a name or initials (1 to 100 characters)');
const CommentSchema = AlertAckSchema.shape.comment.describe('what is being done, up to 500 characters');

export const AckBodySchema = z.strictObject({ by: BySchema, comment: CommentSchema });

export const SilenceBodySchema = z
  .strictObject({
    until: z.iso
      .datetime({ offset: true, message: 'must be an RFC 3339 time with a zone, e.g. 2026-11-27T18:00:00Z' })
      .optional()
      .describe(`when the silence ends: in the future, at most ${SILENCE_MAX_TEXT} from now`),
    for: z
      .string()
      .regex(SILENCE_DURATION_PATTERN, 'must be a duration such as 30m, 2h or 7d')
      .optional()
      .describe(`how long from now, e.g. 30m, 2h, 7d; at most ${SILENCE_MAX_TEXT}`),
    by: BySchema,
    comment: CommentSchema,
  })
  .superRefine((body, ctx) => {
    if ((body.until === undefined) === (body.for === undefined))
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'give either "until" or "for", not both' });
  });

export type AckBody = z.infer<typeof AckBodySchema>;
export type SilenceBody = z.infer<typeof SilenceBodySchema>;

export const AckViewSchema = z.object({
  station: z.string(),
  rule: z.string(),
  since: z.string().describe('start of the episode the ack applies to'),
  by: z.string(),
  comment: z.string().optional(),
  time: z.string().describe('when it was acknowledged'),
});

export const SilenceViewSchema = z.object({
  station: z.string(),
  rule: z.string(),
  until: z.string().describe('when notifications resume'),
  by: z.string(),
  comment: z.string().optional(),
  time: z.string().describe('when the silence was set'),
});

export const SilencesResponseSchema = z.object({ silences: z.array(SilenceViewSchema) });

export const LiftResponseSchema = z.object({
  station: z.string(),
  rule: z.string(),
  lifted: z.literal(true),
  previous: SilenceViewSchema.nullable().describe('the silence that was lifted; null if there was none'),
});

export type AckView = z.infer<typeof AckViewSchema>;
export type SilenceView = z.infer<typeof SilenceViewSchema>;

export function ackView(ack: AlertAck): AckView {
  const { v: _version, since, time, ...rest } = ack;
  return { ...rest, since: isoTime(since), time: isoTime(time) };
}

export function silenceView(silence: AlertSilence): SilenceView {
  const { v: _version, until, time, ...rest } = silence;
  return { ...rest, until: isoTime(until), time: isoTime(time) };
}
