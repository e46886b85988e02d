import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { MetricSource } from '../metrics/index.js';
import { AuthMetrics } from './auth/auth-metrics.js';
import { installAuthentication } from './auth/authenticate.js';
import { DEFAULT_THROTTLE_POLICY, FailureThrottle, type ThrottlePolicy } from './auth/failure-throttle.js';
import { recordRouteAccess } from './auth/route-access.js';
import { installResponseHeaders } from './headers/response-headers.js';
import type { ApiKeyStore } from './keys/key-store.js';
import { type ActionPublisher, NO_PUBLISHER } from './live/action-publisher.js';
import type { LiveView } from './live/live-view.js';
import { apiMetricsSource } from './metrics/api-metrics.js';
import type { QueryPort } from './ports.js';
import { installProblemHandlers } from './problems/problem-handlers.js';
import { actionsRoutes } from './routes/alerts/actions.js';
import { alertHistoryRoutes } from './routes/alerts/history.js';
import { alertsRoutes } from './routes/alerts/index.js';
import { SseConnections } from './routes/alerts/sse.js';
import { subscriptionsRoutes } from './routes/alerts/subscriptions.js';
import type { SubscriptionsStore } from './routes/alerts/subscriptions-store.js';
import { completenessRoutes } from './routes/completeness/index.js';
import { builtDashboardDir } from './routes/dashboard/dashboard-dir.js';
import { dashboardRoutes } from './routes/dashboard/index.js';
import type { HealthCheck } from './routes/health/health-check.js';
import { healthRoutes } from './routes/health/index.js';
import { keysRoutes } from './routes/keys/index.js';
import { latestRoutes } from './routes/latest/index.js';
import { metricsRoutes } from './routes/metrics/index.js';
import { openApiRoutes } from './routes/openapi/index.js';
import { quarantineRoutes } from './routes/quarantine/index.js';
import { sensorsRoutes } from './routes/sensors/index.js';
import { seriesRoutes } from './routes/series/index.js';
import { stationsRoutes } from './routes/stations/index.js';

export interface BuildAppOptions {
  queries: QueryPort;
  live: LiveView;
  logger: Logger;
  /** The API keys every route but the public ones asks for (see docs/api-keys.md). */
  keys: ApiKeyStore;
  /** When an address that fails key checks is blocked; 10 failures a minute by default. */
  throttle?: ThrottlePolicy;
  /** Interval of the SSE keep-alive comment; 15 s by default. */
  sseHeartbeatMs?: number;
  /** What else `/metrics` reports besides the API's own gauges, e.g. the broker and ingest in `fieldstation up`. */
  metrics?: readonly MetricSource[];
  /** Checks `/healthz` runs besides InfluxDB and MQTT, e.g. the ingest's in `fieldstation up`. */
  healthChecks?: readonly HealthCheck[];
  /** Where acks and silences go; without it those routes answer 503 MQTT_UNREACHABLE. */
  publisher?: ActionPublisher;
  /** The notifier's subscriptions; without it /v1/alerts/subscriptions answers 404 SUBSCRIPTIONS_NOT_CONFIGURED. */
  subscriptions?: SubscriptionsStore;
  /** The clock of the alert routes (acks, silences) and of key expiry; Date.now by default. */
  now?: () => number;
  /** The built dashboard served at `/`; dist/dashboard of the package by default. */
  dashboardDir?: string;
  /** Proxies whose X-Forwarded-For names the client (ApiConfig's trustedProxies); none by default. */
  trustedProxies?: readonly string[];
}

const API_VERSION = '1.0.0';

/**
 * Builds the HTTP API without listening, so tests drive it with `inject()` and the server decides
 * where it listens. One zod schema per route validates input, types the handler, checks the
 * response and feeds the OpenAPI document.
 */
export function buildApp(options: BuildAppOptions) {
  const proxies = options.trustedProxies ?? [];
  const app = Fastify({
    loggerInstance: options.logger,
    trustProxy: proxies.length === 0 ? false : [...proxies],
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app);
  installResponseHeaders(app);
  const now = options.now ?? Date.now;
  const throttle = new FailureThrottle(options.throttle ?? DEFAULT_THROTTLE_POLICY);
  const authMetrics = new AuthMetrics(() => throttle.blockedCount(now()));
  recordRouteAccess(app);
  installAuthentication(app, { keys: options.keys, throttle, metrics: authMetrics, now });
  void app.register(swagger, {
    openapi: {
      info: {
        title: 'fieldstation API',
        version: API_VERSION,
        description:
          'Readings, stations, alerts and quarantined input of the fieldstation platform. Every route but ' +
          '/healthz needs an API key with a role (reader, technician, admin): `Authorization: Bearer fsk_…`.',
      },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'fsk_<id>_<secret>',
            description: 'An API key made with `fieldstation apikey add` or POST /v1/keys',
          },
        },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
  });
  const dependencies = { queries: options.queries, live: options.live };
  const alertStreams = new SseConnections();
  const ownMetrics = apiMetricsSource({ live: options.live, sseClients: () => alertStreams.size });
  void app.register(openApiRoutes);
  void app.register(keysRoutes, { keys: options.keys, now });
  void app.register(healthRoutes, { ...dependencies, checks: options.healthChecks ?? [] });
  void app.register(stationsRoutes, dependencies);
  void app.register(sensorsRoutes, dependencies);
  void app.register(seriesRoutes, dependencies);
  void app.register(latestRoutes, dependencies);
  void app.register(completenessRoutes, dependencies);
  void app.register(metricsRoutes, { sources: [ownMetrics, authMetrics, ...(options.metrics ?? [])] });
  void app.register(alertsRoutes, {
    ...dependencies,
    connections: alertStreams,
    keys: options.keys,
    heartbeatMs: options.sseHeartbeatMs ?? 15_000,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  void app.register(actionsRoutes, {
    live: options.live,
    publisher: options.publisher ?? NO_PUBLISHER,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  void app.register(
    subscriptionsRoutes,
    options.subscriptions === undefined ? {} : { store: options.subscriptions },
  );
  void app.register(alertHistoryRoutes, dependencies);
  void app.register(quarantineRoutes, dependencies);
  void app.register(dashboardRoutes, { root: options.dashboardDir ?? builtDashboardDir() });
  return app;
}

export type ApiApp = ReturnType<typeof buildApp>;
