import type { AedesOptions, AuthErrorCode, AuthenticateError, Client } from 'aedes';
import { verifySecret } from '../accounts/secret.js';
import { BrokerError, type BrokerErrorCode } from '../errors.js';
import { certificateLogin, verifiedCertificateName } from '../listeners/client-certificate.js';
import { clientIdConflict } from '../session-owners.js';
import type { HookContext } from './hook-context.js';

type AuthenticateHandler = NonNullable<AedesOptions['authenticate']>;

// CONNACK return codes, MQTT 3.1.1 table 3.1 (Aedes' own enum is an ambient const enum).
const IDENTIFIER_REJECTED = 2 as AuthErrorCode;
const BAD_USERNAME_OR_PASSWORD = 4 as AuthErrorCode;

interface Refusal {
  code: BrokerErrorCode;
  returnCode: AuthErrorCode;
  reason: string;
  owner?: string;
}

const refused = (reason: string): Refusal => ({
  code: 'BAD_USERNAME_OR_PASSWORD',
  returnCode: BAD_USERNAME_OR_PASSWORD,
  reason,
});

async function checkCredentials(
  context: HookContext,
  username: string | undefined,
  password: Buffer | undefined,
): Promise<Refusal | undefined> {
  if (!username || !password) return refused('missing username or password');
  const account = context.accounts.get(username);
  if (account === undefined) return refused('unknown username');
  if (!(await verifySecret(password, account.secret))) return refused('wrong password');
  return undefined;
}

/** The account the client logs in as: named by a verified client certificate, else by its password. */
async function checkLogin(
  context: HookContext,
  client: Client,
  username: string | undefined,
  password: Buffer | undefined,
): Promise<Refusal | string> {
  const commonName = verifiedCertificateName(client);
  if (commonName === undefined)
    return (await checkCredentials(context, username, password)) ?? username ?? '';
  const login = certificateLogin(commonName, username);
  if ('refusal' in login) return refused(login.refusal);
  if (context.accounts.get(login.username) === undefined) {
    return refused(`client certificate names no account (${commonName})`);
  }
  return login.username;
}

/**
 * Runs synchronously after the credentials are verified, so two connections cannot both pass the
 * check before either claims the client id.
 */
function claimClientId(context: HookContext, client: Client, username: string): Refusal | undefined {
  // The account may have been removed while its secret was being verified.
  if (context.accounts.get(username) === undefined) return refused('account removed');
  const { sessions, owners } = context;
  const conflict = clientIdConflict(username, sessions.liveOwnerOf(client.id), owners.ownerOf(client.id));
  if (conflict !== undefined) {
    context.counters.clientIdRefused += 1;
    return {
      code: 'CLIENT_ID_TAKEN',
      returnCode: IDENTIFIER_REJECTED,
      reason: `client id belongs to the ${conflict.holds} of another account`,
      owner: conflict.owner,
    };
  }
  // A clean connect by the owner releases the id only once Aedes has discarded the session (clientReady).
  if (!client.clean) owners.claim(client.id, username);
  return undefined;
}

/**
 * Nobody connects without a username and the password for it, or a client certificate the TLS
 * listener verified that names an account. A wrong one gets CONNACK return
 * code 4 ("bad username or password"); a client id held by another account, live or through a
 * session the broker keeps, gets 2, so one account can neither read nor discard another's queue.
 */
export function createAuthenticate(context: HookContext): AuthenticateHandler {
  return (client, username, password, done) => {
    const refuse = (refusal: Refusal): void => {
      context.counters.authFailures += 1;
      const { reason, owner } = refusal;
      context.logger.warn({ clientId: client.id, username, owner, reason }, 'connection refused');
      const error = new BrokerError(refusal.code, reason, { clientId: client.id, username });
      done(Object.assign(error, { returnCode: refusal.returnCode }) satisfies AuthenticateError, false);
    };
    checkLogin(context, client, username, password).then(
      (login) => {
        if (typeof login !== 'string') return refuse(login);
        const conflict = claimClientId(context, client, login);
        if (conflict !== undefined) return refuse(conflict);
        context.sessions.authenticated(client, login);
        done(null, true);
      },
      (error: unknown) => {
        context.logger.error({ err: error, clientId: client.id, username }, 'authentication failed');
        refuse(refused('credential check failed'));
      },
    );
  };
}
