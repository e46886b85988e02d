export { AccountRegistry } from './accounts/account-registry.js';
export {
  type AccountKind,
  type AccountRecord,
  AccountRecordSchema,
  type AccountSpec,
  AccountSpecSchema,
  type AccountSummary,
  type CredentialsFile,
  CredentialsFileSchema,
  type SubscriberScope,
  SubscriberScopeSchema,
  usernameFor,
} from './accounts/account-schema.js';
export {
  addAccount,
  type IssuedCredentials,
  listAccounts,
  provisionAccount,
  removeAccount,
  rotateAccount,
} from './accounts/account-store.js';
export { readCredentialsFile, writeCredentialsFile } from './accounts/credentials-file.js';
export { generateSecret, hashSecret, verifySecret } from './accounts/secret.js';
export { type BrokerAddress, BrokerServer, type BrokerServerOptions } from './broker-server.js';
export type { BrokerStats } from './broker-stats.js';
export { type BrokerConfig, type BrokerConfigInput, BrokerConfigSchema } from './config.js';
export { BrokerError, type BrokerErrorCode } from './errors.js';
export { canPublish, canSubscribe, publishFilters, subscribeFilters } from './rights/account-rights.js';
