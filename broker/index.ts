export { AccountRegistry } from './accounts/account-registry.js';
export {
  type AccountKind,
  type AccountRecord,
  AccountRecordSchema,
  type AccountSpec,
  AccountSpecSchema,
  type AccountSummary,
  type ClientRights,
  ClientRightsSchema,
  type CredentialsFile,
  CredentialsFileSchema,
  type SubscriberScope,
  SubscriberScopeSchema,
  usernameFor,
} from './accounts/account-schema.js';
export {
  addAccount,
  changeClientRights,
  type IssuedCredentials,
  listAccounts,
  provisionAccount,
  removeAccount,
  rotateAccount,
} from './accounts/account-store.js';
export { readCredentialsFile, writeCredentialsFile } from './accounts/credentials-file.js';
export { generateSecret, hashSecret, verifySecret } from './accounts/secret.js';
export { type BrokerAddress, BrokerServer, type BrokerServerOptions } from './broker-server.js';
export { type BrokerStats, LIMIT_KINDS, type LimitKind } from './broker-stats.js';
export {
  type BrokerConfig,
  type BrokerConfigInput,
  BrokerConfigSchema,
  OperationsHttpConfigSchema,
} from './config.js';
export { BrokerError, type BrokerErrorCode } from './errors.js';
export { type BrokerLimits, type BrokerLimitsInput, BrokerLimitsSchema } from './limits/limits-config.js';
export type { BrokerAddresses } from './listeners/broker-listeners.js';
export {
  type ClientCertificateMode,
  ClientCertificateModeSchema,
  TlsListenerConfigSchema,
  WebSocketListenerConfigSchema,
} from './listeners/listener-config.js';
export {
  type BrokerSnapshot,
  brokerMetricFamilies,
  brokerStatFamilies,
  type TrafficRates,
} from './operations/broker-families.js';
export { BrokerOperations } from './operations/broker-operations.js';
export type { BrokerHealth, ListenerState } from './operations/health.js';
export { sysStatsTopic } from './operations/sys-stats.js';
export {
  type JournalFsync,
  JournalFsyncSchema,
  PERSISTENCE_TYPES,
  type PersistenceConfig,
  type PersistenceConfigInput,
  PersistenceConfigSchema,
  type PersistenceType,
  RedisPersistenceSchema,
} from './persistence/persistence-config.js';
export { BROKER_PROCESS_ENV, missingBrokerProcessEnv } from './process-environment.js';
export {
  canPublish,
  canSubscribe,
  publishFilters,
  rightsFilters,
  subscribeFilters,
} from './rights/account-rights.js';
export type { RightsFilters } from './rights/topic-rights.js';
export { BrokerThread, type BrokerThreadOptions } from './thread/broker-thread.js';
