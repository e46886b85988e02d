import type { AedesOptions, AuthErrorCode, AuthenticateError } from 'aedes';
import { BrokerError, type BrokerErrorCode, type BrokerErrorContext } from './errors.js';

export type AuthenticateHandler = NonNullable<AedesOptions['authenticate']>;
export type AuthenticateDone = Parameters<AuthenticateHandler>[3];

/** CONNACK return codes of MQTT 3.1.1 table 3.1 (Aedes' own enum is an ambient const enum). */
export const CONNACK = {
  identifierRejected: 2 as AuthErrorCode,
  serverUnavailable: 3 as AuthErrorCode,
  badUsernameOrPassword: 4 as AuthErrorCode,
} as const;

/** Answers a CONNECT with the given return code; Aedes sends the CONNACK and closes ([MQTT-3.2.2-5]). */
export function refuseConnect(
  done: AuthenticateDone,
  code: BrokerErrorCode,
  returnCode: AuthErrorCode,
  message: string,
  context: BrokerErrorContext,
): void {
  const error = new BrokerError(code, message, context);
  done(Object.assign(error, { returnCode }) satisfies AuthenticateError, false);
}
