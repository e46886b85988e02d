import { z } from 'zod';
import { inTurn } from '../../durable-files/index.js';
import { BrokerError } from '../errors.js';
import {
  type AccountRecord,
  AccountRecordSchema,
  type AccountSpec,
  AccountSpecSchema,
  type AccountSummary,
  type ClientRights,
  usernameFor,
} from './account-schema.js';
import { readCredentialsFile, writeCredentialsFile } from './credentials-file.js';
import { generateSecret, hashSecret } from './secret.js';

/** Returned once when a secret is made; only its hash is kept. */
export interface IssuedCredentials {
  username: string;
  password: string;
}

function parseSpec(spec: unknown): AccountSpec {
  const parsed = AccountSpecSchema.safeParse(spec);
  if (!parsed.success) {
    throw new BrokerError('ACCOUNT_SPEC_INVALID', `invalid account: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

function notFound(file: string, username: string): BrokerError {
  return new BrokerError('ACCOUNT_NOT_FOUND', `no account "${username}" in ${file}`, { file, username });
}

function summarize(record: AccountRecord): AccountSummary {
  const { secret: _secret, ...summary } = record;
  return summary;
}

async function issueSecret(): Promise<{ password: string; secret: AccountRecord['secret'] }> {
  const password = generateSecret();
  return { password, secret: await hashSecret(password) };
}

/** Creates an account with a fresh secret; refuses a username that already exists. */
export async function addAccount(file: string, spec: AccountSpec): Promise<IssuedCredentials> {
  const parsed = parseSpec(spec);
  const username = usernameFor(parsed);
  return inTurn(file, async () => {
    const content = await readCredentialsFile(file);
    if (content.accounts.some((account) => account.username === username)) {
      throw new BrokerError('ACCOUNT_EXISTS', `account "${username}" already exists in ${file}`, {
        file,
        username,
      });
    }
    const { password, secret } = await issueSecret();
    content.accounts.push({ ...parsed, username, secret, createdAt: new Date().toISOString() });
    await writeCredentialsFile(file, content);
    return { username, password };
  });
}

export async function listAccounts(file: string): Promise<AccountSummary[]> {
  const content = await readCredentialsFile(file);
  return content.accounts.map(summarize);
}

/** Replaces an account's secret; the old one stops working as soon as the broker reloads. */
export async function rotateAccount(file: string, username: string): Promise<IssuedCredentials> {
  return inTurn(file, async () => {
    const content = await readCredentialsFile(file);
    const record = content.accounts.find((account) => account.username === username);
    if (record === undefined) throw notFound(file, username);
    const { password, secret } = await issueSecret();
    record.secret = secret;
    record.rotatedAt = new Date().toISOString();
    await writeCredentialsFile(file, content);
    return { username, password };
  });
}

/**
 * Replaces a client account's rights (all four lists) and keeps its secret: connected clients keep
 * their connection and get the new rights as soon as the broker reloads.
 */
export async function changeClientRights(
  file: string,
  username: string,
  rights: ClientRights,
): Promise<void> {
  return inTurn(file, async () => {
    const content = await readCredentialsFile(file);
    const index = content.accounts.findIndex((account) => account.username === username);
    const record = content.accounts[index];
    if (record === undefined) throw notFound(file, username);
    if (record.kind !== 'client') {
      const message = `${username} is a ${record.kind} account, whose rights the code sets; only client accounts have rights to change`;
      throw new BrokerError('ACCOUNT_RIGHTS_FIXED', message, { file, username });
    }
    const parsed = AccountRecordSchema.safeParse({ ...record, ...rights });
    if (!parsed.success) {
      throw new BrokerError('ACCOUNT_SPEC_INVALID', `invalid rights: ${z.prettifyError(parsed.error)}`, {
        file,
        username,
      });
    }
    content.accounts[index] = parsed.data;
    await writeCredentialsFile(file, content);
  });
}

export async function removeAccount(file: string, username: string): Promise<void> {
  return inTurn(file, async () => {
    const content = await readCredentialsFile(file);
    const remaining = content.accounts.filter((account) => account.username !== username);
    if (remaining.length === content.accounts.length) throw notFound(file, username);
    await writeCredentialsFile(file, { ...content, accounts: remaining });
  });
}

/**
 * Creates the account or, when it exists, gives it a new secret: for a process that starts its
 * own services (`fieldstation up`) and needs their passwords, which the file cannot give back.
 */
export async function provisionAccount(file: string, spec: AccountSpec): Promise<IssuedCredentials> {
  const parsed = parseSpec(spec);
  const username = usernameFor(parsed);
  return inTurn(file, async () => {
    const content = await readCredentialsFile(file);
    const { password, secret } = await issueSecret();
    const record = content.accounts.find((account) => account.username === username);
    if (record === undefined) {
      content.accounts.push({ ...parsed, username, secret, createdAt: new Date().toISOString() });
    } else {
      record.secret = secret;
      record.rotatedAt = new Date().toISOString();
    }
    await writeCredentialsFile(file, content);
    return { username, password };
  });
}
