import type { AedesOptions, AuthErrorCode, AuthenticateError, Client } from 'aedes';
import { verifySecret } from '../accounts/secret.js';
import { BrokerError, type BrokerErrorCode } from '../errors.js';
import type { HookContext } from './hook-context.js';

type AuthenticateHandler = NonNullable<AedesOptions['authenticate']>;

// CONNACK return codes, MQTT 3.1.1 table 3.1 (Aedes' own enum is an ambient const enum).
const IDENTIFIER_REJECTED = 2 as AuthErrorCode;
const BAD_USERNAME_OR_PASSWORD = 4 as AuthErrorCode;

interface Refusal {
  code: BrokerErrorCode;
  returnCode: AuthErrorCode;
  reason: string;
}

const refused = (reason: string): Refusal => ({
  code: 'BAD_USERNAME_OR_PASSWORD',
  returnCode: BAD_USERNAME_OR_PASSWORD,
  reason,
});

async function check(
  context: HookContext,
  client: Client,
  username: string | undefined,
  password: Buffer | undefined,
): Promise<Refusal | undefined> {
  if (!username || !password) return refused('missing username or password');
  const account = context.accounts.get(username);
  if (account === undefined) return refused('unknown username');
  if (!(await verifySecret(password, account.secret))) return refused('wrong password');
  const owner = context.sessions.liveOwnerOf(client.id);
  if (owner !== undefined && owner !== username) {
    return {
      code: 'CLIENT_ID_TAKEN',
      returnCode: IDENTIFIER_REJECTED,
      reason: `client id is in use by account ${owner}`,
    };
  }
  return undefined;
}

/**
 * Nobody connects without a username and the password for it. A wrong one gets CONNACK return
 * code 4 ("bad username or password"); a client id held by another account's live session gets 2,
 * so one account cannot take over (and read the queue of) another's session.
 */
export function createAuthenticate(context: HookContext): AuthenticateHandler {
  return (client, username, password, done) => {
    const refuse = (refusal: Refusal): void => {
      context.counters.authFailures += 1;
      context.logger.warn({ clientId: client.id, username, reason: refusal.reason }, 'connection refused');
      const error = new BrokerError(refusal.code, refusal.reason, { clientId: client.id, username });
      done(Object.assign(error, { returnCode: refusal.returnCode }) satisfies AuthenticateError, false);
    };
    check(context, client, username, password).then(
      (refusal) => {
        if (refusal !== undefined) return refuse(refusal);
        context.sessions.authenticated(client, username ?? '');
        done(null, true);
      },
      (error: unknown) => {
        context.logger.error({ err: error, clientId: client.id, username }, 'authentication failed');
        refuse(refused('credential check failed'));
      },
    );
  };
}
