import { z } from 'zod';
import { BrokerError } from '../errors.js';
import {
  type AccountRecord,
  type AccountSpec,
  AccountSpecSchema,
  type AccountSummary,
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

/** Creates an account with a fresh secret; refuses a username that already exists. */
export async function addAccount(file: string, spec: AccountSpec): Promise<IssuedCredentials> {
  const parsed = parseSpec(spec);
  const username = usernameFor(parsed);
  const content = await readCredentialsFile(file);
  if (content.accounts.some((account) => account.username === username)) {
    throw new BrokerError('ACCOUNT_EXISTS', `account "${username}" already exists in ${file}`, {
      file,
      username,
    });
  }
  const password = generateSecret();
  const record = {
    ...parsed,
    username,
    secret: await hashSecret(password),
    createdAt: new Date().toISOString(),
  };
  content.accounts.push(record);
  await writeCredentialsFile(file, content);
  return { username, password };
}

export async function listAccounts(file: string): Promise<AccountSummary[]> {
  const content = await readCredentialsFile(file);
  return content.accounts.map(summarize);
}

/** Replaces an account's secret; the old one stops working as soon as the broker reloads. */
export async function rotateAccount(file: string, username: string): Promise<IssuedCredentials> {
  const content = await readCredentialsFile(file);
  const record = content.accounts.find((account) => account.username === username);
  if (record === undefined) throw notFound(file, username);
  const password = generateSecret();
  record.secret = await hashSecret(password);
  record.rotatedAt = new Date().toISOString();
  await writeCredentialsFile(file, content);
  return { username, password };
}

export async function removeAccount(file: string, username: string): Promise<void> {
  const content = await readCredentialsFile(file);
  const remaining = content.accounts.filter((account) => account.username !== username);
  if (remaining.length === content.accounts.length) throw notFound(file, username);
  await writeCredentialsFile(file, { ...content, accounts: remaining });
}

/**
 * Creates the account or, when it exists, gives it a new secret: for a process that starts its
 * own services (`fieldstation up`) and needs their passwords, which the file cannot give back.
 */
export async function provisionAccount(file: string, spec: AccountSpec): Promise<IssuedCredentials> {
  const username = usernameFor(parseSpec(spec));
  const existing = await readCredentialsFile(file);
  if (existing.accounts.some((account) => account.username === username)) {
    return rotateAccount(file, username);
  }
  return addAccount(file, spec);
}
