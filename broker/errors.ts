export type BrokerErrorCode =
  | 'ACCOUNT_EXISTS'
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNT_SPEC_INVALID'
  | 'ACCOUNT_RIGHTS_FIXED'
  | 'CREDENTIALS_FILE_INVALID'
  | 'BAD_USERNAME_OR_PASSWORD'
  | 'PASSWORD_WRONG'
  | 'ACCOUNT_LOCKED_OUT'
  | 'CLIENT_ID_TAKEN'
  | 'TOPIC_FORBIDDEN'
  | 'PACKET_TOO_LARGE'
  | 'CLIENT_ID_REJECTED'
  | 'CONNECTION_RATE_EXCEEDED'
  | 'ACCOUNT_CONNECTIONS_EXCEEDED'
  | 'MESSAGE_RATE_EXCEEDED'
  | 'TLS_FILE_UNREADABLE'
  | 'TLS_FILE_INVALID'
  | 'STORE_UNAVAILABLE'
  | 'SESSION_OWNERS_FILE_INVALID'
  | 'REDIS_UNREACHABLE';

export interface BrokerErrorContext {
  file?: string;
  username?: string;
  clientId?: string;
  topic?: string;
  /** A store's address, password masked. */
  url?: string;
}

/** Every failure the broker reports, with a stable code and what it concerned. */
export class BrokerError extends Error {
  constructor(
    readonly code: BrokerErrorCode,
    message: string,
    readonly context: BrokerErrorContext = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'BrokerError';
  }
}
