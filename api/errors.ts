export type ApiErrorCode =
  | 'PARAMETER_INVALID'
  | 'RESULT_TOO_LARGE'
  | 'ROUTE_NOT_FOUND'
  | 'MQTT_UNREACHABLE'
  | 'ALERT_RULE_UNKNOWN'
  | 'ALERT_STATION_UNKNOWN'
  | 'ALERT_NOT_FIRING'
  | 'SENSOR_UNKNOWN'
  | 'SUBSCRIPTIONS_NOT_CONFIGURED'
  | 'SUBSCRIPTIONS_INVALID'
  | 'SUBSCRIPTIONS_CHANGED'
  | 'SUBSCRIPTIONS_IF_MATCH_REQUIRED'
  | 'SUBSCRIPTIONS_FILE_INVALID'
  | 'KEY_MISSING'
  | 'KEY_MALFORMED'
  | 'KEY_UNKNOWN'
  | 'KEY_EXPIRED'
  | 'KEY_REVOKED'
  | 'ROLE_FORBIDDEN'
  | 'STATION_FORBIDDEN'
  | 'AUTH_THROTTLED'
  | 'API_KEY_NOT_FOUND'
  | 'API_KEYS_FILE_INVALID'
  | 'INTERNAL_ERROR';

export interface ApiErrorContext {
  /** The request parameter at fault, e.g. `from` or `every`. */
  parameter?: string;
  /** Every field at fault, when there are several (a whole document, say). */
  errors?: readonly { parameter: string; message: string }[];
}

/** A failure the API reports to its caller as an RFC 9457 problem with this code and HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly statusCode: number,
    readonly context: ApiErrorContext = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}
