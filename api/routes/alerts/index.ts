import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { keyStillActive } from '../../auth/key-still-active.js';
import { keyState } from '../../auth/key-verdict.js';
import { requestKey, stationFilter } from '../../auth/request-key.js';
import type { ApiKeyStore } from '../../keys/key-store.js';
import type { RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { appliedActions } from './alert-actions.js';
import { AlertListItemSchema, alertListItem, alertView } from './alert-view.js';
import { SSE_HEADERS, SSE_PING, type SseConnections, sseEvent, sseWrite } from './sse.js';

export interface AlertsRoutesOptions extends RouteDependencies {
  /** Interval of the `: ping` comment that keeps idle proxies from closing the stream. */
  heartbeatMs: number;
  /** The open alert streams, owned by the app so its metrics can count them. */
  connections: SseConnections;
  /** Asked again at every heartbeat, so a stream ends soon after its key is revoked. */
  keys: ApiKeyStore;
  now?: () => number;
}

const AlertsResponseSchema = z.object({ alerts: z.array(AlertListItemSchema) });

const AlertStreamSchema = z
  .string()
  .describe(
    'server-sent events: `event: alert` with an alert as JSON data per transition, `: ping` every 15 s',
  );

export const alertsRoutes: FastifyPluginAsyncZod<AlertsRoutesOptions> = async (
  app,
  { live, heartbeatMs, connections, keys, now = Date.now },
) => {
  app.addHook('preClose', async () => connections.endAll());

  const firing = (visible: (station: string) => boolean) =>
    live.alerts().filter((event) => event.state === 'firing' && visible(event.station));

  app.get(
    '/v1/alerts',
    {
      config: { access: 'reader' },
      schema: {
        summary: 'Alert rules that are firing now, with their ack and silence',
        description:
          '`ack` is the acknowledgement of the episode that is firing (an ack of an earlier episode does not ' +
          'count); `silence` the silence in force. The stream (`/v1/alerts/stream`) sends the events alone.',
        tags: ['alerts'],
        response: { 200: AlertsResponseSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const nowMs = now();
      const alerts = firing(stationFilter(request)).map((event) => {
        const { ack, silence } = appliedActions(event, live.ack(event), live.silence(event), nowMs);
        return alertListItem(event, ack, silence);
      });
      return { alerts };
    },
  );

  app.get(
    '/v1/alerts/stream',
    {
      config: { access: 'reader' },
      schema: {
        summary: 'Alert transitions as server-sent events; the firing alerts are sent first',
        tags: ['alerts'],
        response: {
          200: { content: { 'text/event-stream': { schema: AlertStreamSchema } } },
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, SSE_HEADERS);
      // Headers go out now, not with the first event: a client can tell at once that it is subscribed.
      response.flushHeaders();
      const key = requestKey(request);
      const visible = stationFilter(request);
      for (const event of firing(visible)) sseWrite(response, sseEvent('alert', alertView(event)));
      const unsubscribe = live.onAlert((event) => {
        // Expiry needs no lookup, so no event goes out past it; revocation is seen at the next heartbeat.
        if (keyState(key, now()) !== 'active') response.end();
        else if (visible(event.station)) sseWrite(response, sseEvent('alert', alertView(event)));
      });
      const heartbeat = async () => {
        if (await keyStillActive(keys, key, now())) sseWrite(response, SSE_PING);
        else {
          request.log.info({ key: key.id }, 'alert stream closed: its API key is no longer active');
          response.end();
        }
      };
      const ping = setInterval(() => void heartbeat(), heartbeatMs);
      connections.add(response, () => {
        clearInterval(ping);
        unsubscribe();
      });
      request.log.debug('alert stream opened');
    },
  );
};
