export { type ApiApp, type BuildAppOptions, buildApp } from './app.js';
export { DEFAULT_THROTTLE_POLICY, type ThrottlePolicy } from './auth/failure-throttle.js';
export { type KeyState, keyState } from './auth/key-verdict.js';
export { type RouteAccess, routeAccessTable } from './auth/route-access.js';
export {
  type ApiConfig,
  type ApiConfigInput,
  ApiConfigSchema,
  type ApiMqttConfig,
  ApiMqttConfigSchema,
} from './config.js';
export { ApiError, type ApiErrorCode, type ApiErrorContext } from './errors.js';
export {
  type ApiKeyRecord,
  type ApiKeySpec,
  type ApiKeySpecInput,
  ApiKeySpecSchema,
  type ApiKeyView,
  type IssuedKey,
  keyView,
} from './keys/api-key.js';
export { FileKeyStore } from './keys/file-key-store.js';
export { parseExpiry } from './keys/key-expiry.js';
export type { ApiKeyStore } from './keys/key-store.js';
export { type AccessLevel, ROLES, type Role, RoleSchema } from './keys/roles.js';
export {
  type ActionPublisher,
  type AlertActionMessage,
  actionPacket,
  NO_PUBLISHER,
} from './live/action-publisher.js';
export { LiveStore } from './live/live-store.js';
export { LiveSubscriber, type LiveSubscriberOptions } from './live/live-subscriber.js';
export type { GatewayHealthSnapshot, GatewayLive, GatewayLiveState, LiveView } from './live/live-view.js';
export { type ApiMetricsOptions, apiMetricsSource } from './metrics/api-metrics.js';
export type { QueryPort, RouteDependencies } from './ports.js';
export type {
  SubscriptionsIssue,
  SubscriptionsRead,
  SubscriptionsReplace,
  SubscriptionsStore,
} from './routes/alerts/subscriptions-store.js';
export {
  type SubscriptionsDocumentView,
  type SubscriptionsView,
  SubscriptionsViewSchema,
} from './routes/alerts/subscriptions-view.js';
export type { HealthCheck, HealthCheckResult } from './routes/health/health-check.js';
export { ApiServer, type ApiServerOptions } from './server.js';
