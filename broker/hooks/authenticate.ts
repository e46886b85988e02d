import type { AuthErrorCode, AuthenticateError, Client } from 'aedes';
import { verifySecret } from '../accounts/secret.js';
import { BrokerError, type BrokerErrorCode } from '../errors.js';
import { placeholderValueProblem } from '../filter-syntax.js';
import { certificateLogin, verifiedCertificateName } from '../listeners/client-certificate.js';
import { type AuthenticateHandler, CONNACK } from '../refuse-connect.js';
import { usesClientId } from '../rights/account-rights.js';
import { clientIdConflict } from '../session-owners.js';
import type { HookContext } from './hook-context.js';

interface Refusal {
  code: BrokerErrorCode;
  returnCode: AuthErrorCode;
  reason: string;
  owner?: string;
}

const refused = (reason: string, code: BrokerErrorCode = 'BAD_USERNAME_OR_PASSWORD'): Refusal => ({
  code,
  returnCode: CONNACK.badUsernameOrPassword,
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
  // Its own code, so the account lock-out counts wrong passwords and nothing else.
  if (!(await verifySecret(password, account.secret))) return refused('wrong password', 'PASSWORD_WRONG');
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
 * Another account holding the client id live, on this node or (in a cluster) on another; when
 * none does, this connection becomes the holder, also when it takes the id over from its own account.
 */
async function liveOwner(
  context: HookContext,
  client: Client,
  username: string,
): Promise<string | undefined> {
  const here = context.sessions.liveOwnerOf(client.id);
  if (here !== undefined && here !== username) return here;
  return context.liveIds.claim(client, username);
}

/**
 * Runs after the credentials are verified. A persistent connect claims the client id in the owner
 * store, atomically (across nodes too) and durably before the CONNACK, so of two racing connects
 * only one gets it; a clean one only looks, and releases the id once Aedes has discarded the
 * session (clientReady). Then the connection claims the id as its live holder, which in a cluster
 * tells the other nodes; a refusal after either claim undoes it.
 */
async function claimClientId(
  context: HookContext,
  client: Client,
  username: string,
): Promise<Refusal | undefined> {
  // The account may have been removed while its secret was being verified.
  if (context.accounts.get(username) === undefined) return refused('account removed');
  const { owners } = context;
  const sessionOwner = client.clean ? await owners.ownerOf(client.id) : await owners.claim(client, username);
  const conflict =
    clientIdConflict(username, undefined, sessionOwner) ??
    clientIdConflict(username, await liveOwner(context, client, username), undefined);
  if (conflict === undefined) return undefined;
  // Claimed a free id but another account is connected with it: the claims must not outlive the refusal.
  await owners.withdraw(client, username);
  await context.liveIds.release(client);
  context.counters.clientIdRefused += 1;
  return {
    code: 'CLIENT_ID_TAKEN',
    returnCode: CONNACK.identifierRejected,
    reason: `client id belongs to the ${conflict.holds} of another account`,
    owner: conflict.owner,
  };
}

/**
 * A client account whose rights name the client id (%c) needs one that can stand in a topic filter;
 * any other is refused with CONNACK 2 (identifier rejected) rather than left with rights that grant
 * nothing.
 */
function clientIdUnfit(context: HookContext, client: Client, username: string): Refusal | undefined {
  const account = context.accounts.get(username);
  if (account === undefined || !usesClientId(account)) return undefined;
  const problem = placeholderValueProblem(client.id);
  if (problem === undefined) return undefined;
  return {
    code: 'CLIENT_ID_REJECTED',
    returnCode: CONNACK.identifierRejected,
    reason: `client id ${problem}, and the account's rights name it (%c)`,
  };
}

/** A login that passes or fails, or the session owners store that could not be reached (CONNACK 3). */
async function admit(
  context: HookContext,
  client: Client,
  username: string | undefined,
  password: Buffer | undefined,
): Promise<Refusal | string> {
  const login = await checkLogin(context, client, username, password);
  if (typeof login !== 'string') return login;
  const unfit = clientIdUnfit(context, client, login);
  if (unfit !== undefined) return unfit;
  try {
    return (await claimClientId(context, client, login)) ?? login;
  } catch (error) {
    context.logger.error({ err: error, clientId: client.id, username: login }, 'session owner unknown');
    return {
      code: 'STORE_UNAVAILABLE',
      returnCode: CONNACK.serverUnavailable,
      reason: 'session owners unavailable',
    };
  }
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
    admit(context, client, username, password).then(
      (login) => {
        if (typeof login !== 'string') return refuse(login);
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
