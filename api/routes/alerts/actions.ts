import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { stationFilter } from '../../auth/request-key.js';
import { ApiError } from '../../errors.js';
import type { ActionPublisher } from '../../live/action-publisher.js';
import type { LiveView } from '../../live/live-view.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import {
  AckBodySchema,
  AckViewSchema,
  ackView,
  LiftResponseSchema,
  RuleParamsSchema,
  type SilenceBody,
  SilenceBodySchema,
  SilencesResponseSchema,
  SilenceViewSchema,
  StationParamsSchema,
  silenceView,
} from './action-schemas.js';
import {
  type ActionContext,
  acknowledge,
  activeSilences,
  liftSilence,
  silenceRule,
  silenceStation,
} from './alert-actions.js';
import { SILENCE_MAX_TEXT, silenceEnd } from './silence-end.js';

export interface ActionsRoutesOptions {
  live: LiveView;
  publisher: ActionPublisher;
  now?: () => number;
}

const ACCESS = 'Needs a technician or admin key that may see the station.';
const PUBLISHED =
  'Answers once the broker has confirmed the retained message (QoS 1); 503 MQTT_UNREACHABLE if it cannot within a few seconds.';

/** The end of a requested silence, or a 400 naming the parameter at fault. */
function untilOf(body: SilenceBody, nowMs: number): number {
  const until = body.until === undefined ? undefined : Date.parse(body.until);
  const end = silenceEnd(
    { ...(until === undefined ? {} : { until }), ...(body.for ? { for: body.for } : {}) },
    nowMs,
  );
  if (!end.ok) {
    throw new ApiError('PARAMETER_INVALID', `body field "${end.parameter}" ${end.message}`, 400, {
      parameter: end.parameter,
    });
  }
  return end.untilMs;
}

/** Acknowledge and silence alert rules: each publishes the contract's retained message for the rule. */
export const actionsRoutes: FastifyPluginAsyncZod<ActionsRoutesOptions> = async (app, options) => {
  const context: ActionContext = {
    live: options.live,
    publisher: options.publisher,
    now: options.now ?? Date.now,
  };

  app.post(
    '/v1/alerts/:station/:rule/ack',
    {
      config: { access: 'technician' },
      schema: {
        summary: 'Acknowledge the episode of a rule that is firing now',
        description:
          'Publishes an ack retained on `fs/v1/alerts/{station}/{rule}/ack` for the episode that is firing ' +
          '(its `since`): the notifier stops repeats and escalation of it; a later episode needs its own ack. ' +
          `404 ALERT_RULE_UNKNOWN for a rule never heard of, 409 ALERT_NOT_FIRING when it is clear. ${PUBLISHED} ${ACCESS}`,
        tags: ['alerts'],
        params: RuleParamsSchema,
        body: AckBodySchema,
        response: { 200: AckViewSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => ackView(await acknowledge(context, request.params, request.body)),
  );

  app.put(
    '/v1/alerts/:station/:rule/silence',
    {
      config: { access: 'technician' },
      schema: {
        summary: 'Silence the notifications of a rule until a time',
        description:
          'Publishes a silence retained on `fs/v1/alerts/{station}/{rule}/silence`: no notification of the rule ' +
          'is sent until `until` (events are still published and stored). Give `until` (RFC 3339) or `for` ' +
          `(30m, 2h, 7d), in the future and at most ${SILENCE_MAX_TEXT} ahead; a new silence replaces the ` +
          `previous one. 404 ALERT_RULE_UNKNOWN for a rule never heard of. ${PUBLISHED} ${ACCESS}`,
        tags: ['alerts'],
        params: RuleParamsSchema,
        body: SilenceBodySchema,
        response: { 200: SilenceViewSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const untilMs = untilOf(request.body, context.now());
      return silenceView(await silenceRule(context, request.params, request.body, untilMs));
    },
  );

  app.delete(
    '/v1/alerts/:station/:rule/silence',
    {
      config: { access: 'technician' },
      schema: {
        summary: 'Lift the silence of a rule',
        description:
          'Publishes the empty retained payload on `fs/v1/alerts/{station}/{rule}/silence`, which removes the ' +
          `silence; lifting a rule that has none is harmless. ${PUBLISHED} ${ACCESS}`,
        tags: ['alerts'],
        params: RuleParamsSchema,
        response: { 200: LiftResponseSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const previous = await liftSilence(context, request.params);
      return {
        ...request.params,
        lifted: true as const,
        previous: previous === undefined ? null : silenceView(previous),
      };
    },
  );

  app.put(
    '/v1/alerts/:station/silence',
    {
      config: { access: 'technician' },
      schema: {
        summary: 'Maintenance: silence every rule of a station',
        description:
          'Publishes one retained silence per rule the API knows for the station (every rule that has ' +
          'published an alert, firing or clear), all with the same `until` and `by`. A rule that first ' +
          'publishes after this call is not covered. Each is lifted on its own with DELETE ' +
          `/v1/alerts/{station}/{rule}/silence. 404 ALERT_STATION_UNKNOWN when no rule of the station is known. ${PUBLISHED} ${ACCESS}`,
        tags: ['alerts'],
        params: StationParamsSchema,
        body: SilenceBodySchema,
        response: { 200: SilencesResponseSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const untilMs = untilOf(request.body, context.now());
      const silences = await silenceStation(context, request.params.station, request.body, untilMs);
      return { silences: silences.map(silenceView) };
    },
  );

  app.get(
    '/v1/alerts/silences',
    {
      config: { access: 'reader' },
      schema: {
        summary: 'Silences in force now, soonest to end first',
        tags: ['alerts'],
        response: { 200: SilencesResponseSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const visible = stationFilter(request);
      const silences = activeSilences(options.live.silences(), context.now()).filter((s) =>
        visible(s.station),
      );
      return { silences: silences.map(silenceView) };
    },
  );
};
