export type BrokerErrorCode =
  | 'ACCOUNT_EXISTS'
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNT_SPEC_INVALID'
  | 'CREDENTIALS_FILE_INVALID'
  | 'BAD_USERNAME_OR_PASSWORD'
  | 'CLIENT_ID_TAKEN'
  | 'TOPIC_FORBIDDEN'
  | 'PACKET_TOO_LARGE';

export interface BrokerErrorContext {
  file?: string;
  username?: string;
  clientId?: string;
  topic?: string;
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
