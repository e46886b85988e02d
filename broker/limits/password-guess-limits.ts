import { SERVICE_USERNAME_PREFIX } from '../accounts/account-schema.js';
import type { BrokerCounters } from '../broker-stats.js';
import { BrokerError } from '../errors.js';
import { verifiedCertificateName } from '../listeners/client-certificate.js';
import { sourceAddress } from '../listeners/source-address.js';
import { type AuthenticateHandler, CONNACK, refuseConnect } from '../refuse-connect.js';
import { AccountLockouts, type AttemptOutcome } from './account-lockouts.js';
import type { LimitReporter } from './limit-reporter.js';
import type { LockoutPolicy } from './limits-config.js';

export interface PasswordGuessLimitOptions {
  policy: LockoutPolicy;
  reporter: LimitReporter;
  counters: BrokerCounters;
  now: () => number;
}

function outcomeOf(error: Error | null, success: boolean | null): AttemptOutcome {
  if (error === null && success === true) return 'accepted';
  return error instanceof BrokerError && error.code === 'PASSWORD_WRONG' ? 'wrong password' : 'other';
}

/**
 * Wraps the authenticate hook with the account lock-out (AccountLockouts), checked before the
 * secret is verified, so guesses spread over many source addresses slow down per account and a
 * locked account costs no scrypt. Only wrong passwords of existing accounts count: an unknown
 * username can never log in, and counting it would let made-up names crowd out real accounts.
 *
 * A locked account gets CONNACK 4 whatever the password, the answer a wrong password gets: a
 * distinct code would tell a guesser which usernames exist (only they are ever locked) and when
 * to resume. The lock is logged once, when it starts; each refusal under it is counted.
 *
 * Service accounts (the ingest, the API) are never locked: their secrets are long and random, issued
 * afresh at every start of `up`, so there is nothing to guess, and a lock would let anyone who knows
 * the predictable name `svc.ingest` stop every station's data by sending wrong passwords.
 */
export function limitPasswordGuesses(
  inner: AuthenticateHandler,
  options: PasswordGuessLimitOptions,
): AuthenticateHandler {
  const { reporter, counters, now } = options;
  const lockouts = new AccountLockouts(options.policy);
  return (client, username, password, done) => {
    // A verified certificate is the credential and the password is not consulted: nothing to guess.
    const service = username?.startsWith(`${SERVICE_USERNAME_PREFIX}.`) === true;
    if (username === undefined || service || verifiedCertificateName(client) !== undefined) {
      return inner(client, username, password, done);
    }
    const address = sourceAddress(client);
    const attempt = lockouts.admit(username, now());
    if (attempt === undefined) {
      counters.authFailures += 1;
      const context = { account: username, clientId: client.id, address };
      reporter.hit('accountLockout', context, 'connection refused: account locked out', false);
      const message = `account ${username} is locked out after repeated wrong passwords`;
      refuseConnect(done, 'ACCOUNT_LOCKED_OUT', CONNACK.badUsernameOrPassword, message, {
        clientId: client.id,
        username,
      });
      return;
    }
    inner(client, username, password, (error, success) => {
      const lockout = lockouts.settle(attempt, outcomeOf(error, success), now());
      if (lockout !== undefined) {
        const { failures, lockMs } = lockout;
        reporter.announce(
          'accountLockout',
          { account: username, clientId: client.id, address, failures, lockMs },
          'account locked out: wrong passwords in a row',
        );
      }
      done(error, success);
    });
  };
}
