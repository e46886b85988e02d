import type { AuthenticateError, Client } from 'aedes';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createCounters } from '../../../broker/broker-stats.js';
import { BrokerError, type BrokerErrorCode } from '../../../broker/errors.js';
import { LimitReporter } from '../../../broker/limits/limit-reporter.js';
import { limitPasswordGuesses } from '../../../broker/limits/password-guess-limits.js';
import type { AuthenticateHandler } from '../../../broker/refuse-connect.js';

const POLICY = { afterFailures: 3, firstLockMs: 1000, maxLockMs: 60_000 };

/** The inner hook in miniature: "right" is the password of every known account. */
function fakeCredentials(known: readonly string[]) {
  const checked: string[] = [];
  const handler: AuthenticateHandler = (_client, username, password, done) => {
    checked.push(`${username} ${password?.toString()}`);
    const refuse = (code: BrokerErrorCode) =>
      done(Object.assign(new BrokerError(code, code), { returnCode: 4 }) as AuthenticateError, false);
    if (username === undefined || !known.includes(username)) return refuse('BAD_USERNAME_OR_PASSWORD');
    if (password?.toString() !== 'right') return refuse('PASSWORD_WRONG');
    done(null, true);
  };
  return { handler, checked };
}

function setup(known: readonly string[] = ['jinfo.cave-1']) {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const counters = createCounters();
  const clock = { now: 0 };
  const inner = fakeCredentials(known);
  const authenticate = limitPasswordGuesses(inner.handler, {
    policy: POLICY,
    reporter: new LimitReporter(counters, logger),
    counters,
    now: () => clock.now,
  });
  const attempt = (username: string, password: string, address = '10.0.0.7') =>
    new Promise<{ error: (Error & { returnCode?: number; code?: string }) | null; ok: boolean | null }>(
      (resolve) => {
        const client = { id: `c-${address}`, conn: { remoteAddress: address } } as unknown as Client;
        authenticate(client, username, Buffer.from(password), (error, ok) => resolve({ error, ok }));
      },
    );
  return { attempt, logs, counters, clock, checked: inner.checked };
}

describe('password guess limits', () => {
  it('refuses a locked account with CONNACK 4 without checking the password, until the lock ends', async () => {
    const { attempt, counters, clock, checked } = setup();
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      expect(await attempt('jinfo.cave-1', 'guess', address)).toMatchObject({
        ok: false,
        error: { code: 'PASSWORD_WRONG' },
      });
    }
    expect(await attempt('jinfo.cave-1', 'right')).toMatchObject({
      ok: false,
      error: { code: 'ACCOUNT_LOCKED_OUT', returnCode: 4 },
    });
    expect(checked).toHaveLength(3);
    expect(counters).toMatchObject({ authFailures: 1, limitHits: { accountLockout: 1 } });

    clock.now = 1000;
    expect(await attempt('jinfo.cave-1', 'right')).toEqual({ error: null, ok: true });
    expect(checked).toHaveLength(4);
  });

  it('logs each lock once, with the account and the address of the guess that set it', async () => {
    const { attempt, logs, counters, clock } = setup();
    for (let i = 0; i < 3; i++) await attempt('jinfo.cave-1', 'guess', '192.0.2.9');
    for (let i = 0; i < 20; i++) await attempt('jinfo.cave-1', 'guess', `198.51.100.${i}`);
    clock.now = 1000;
    await attempt('jinfo.cave-1', 'guess', '192.0.2.10');
    const locks = logs.filter((entry) => entry.limit === 'accountLockout');
    expect(locks).toMatchObject([
      { level: 40, account: 'jinfo.cave-1', address: '192.0.2.9', failures: 3, lockMs: 1000 },
      { level: 40, account: 'jinfo.cave-1', address: '192.0.2.10', failures: 4, lockMs: 2000 },
    ]);
    expect(counters.limitHits.accountLockout).toBe(20);
  });

  it('never locks a username that does not exist', async () => {
    const { attempt, counters, checked } = setup();
    for (let i = 0; i < 10; i++) await attempt('jinfo.cave-9', 'guess');
    expect(checked).toHaveLength(10);
    expect(counters.limitHits.accountLockout).toBe(0);
  });

  it('keeps the other accounts out of one account’s lock', async () => {
    const { attempt } = setup(['jinfo.cave-1', 'jinfo.cave-2']);
    for (let i = 0; i < 3; i++) await attempt('jinfo.cave-1', 'guess');
    expect(await attempt('jinfo.cave-2', 'right')).toEqual({ error: null, ok: true });
  });

  it('never locks a service account, so wrong passwords for svc.ingest cannot stop the ingest', async () => {
    const { attempt, checked } = setup(['svc.ingest']);
    for (let i = 0; i < 10; i++) {
      expect(await attempt('svc.ingest', 'guess')).toMatchObject({
        ok: false,
        error: { code: 'PASSWORD_WRONG' },
      });
    }
    expect(await attempt('svc.ingest', 'right')).toMatchObject({ ok: true, error: null });
    expect(checked).toHaveLength(11);
  });
});
