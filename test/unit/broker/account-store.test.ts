import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AccountSpec,
  AccountSpecSchema,
  type ClientRights,
} from '../../../broker/accounts/account-schema.js';
import {
  addAccount,
  changeClientRights,
  listAccounts,
  provisionAccount,
  removeAccount,
  rotateAccount,
} from '../../../broker/accounts/account-store.js';
import { readCredentialsFile } from '../../../broker/accounts/credentials-file.js';
import { verifySecret } from '../../../broker/accounts/secret.js';
import { BrokerError } from '../../../broker/errors.js';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-accounts-'));
  file = join(dir, 'nested', 'accounts.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function client(name: string, rights: Partial<ClientRights>): AccountSpec {
  return { kind: 'client', name, publish: [], subscribe: [], denyPublish: [], denySubscribe: [], ...rights };
}

async function secretOf(username: string) {
  const content = await readCredentialsFile(file);
  const record = content.accounts.find((account) => account.username === username);
  if (record === undefined) throw new Error(`no ${username}`);
  return record.secret;
}

describe('account file', () => {
  it('a missing file holds no accounts', async () => {
    expect(await listAccounts(file)).toEqual([]);
  });

  it('adding the first account creates the file, owner-only, with a hash that verifies', async () => {
    const issued = await addAccount(file, { kind: 'gateway', station: 'jinfo', gateway: 'cave-1' });
    expect(issued.username).toBe('jinfo.cave-1');
    expect(Buffer.from(issued.password, 'base64url')).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(issued.password);
    expect(await verifySecret(issued.password, await secretOf('jinfo.cave-1'))).toBe(true);
  });

  it('names service and subscriber accounts with their prefixes', async () => {
    expect((await addAccount(file, { kind: 'service', name: 'ingest' })).username).toBe('svc.ingest');
    const sub = await addAccount(file, { kind: 'subscriber', name: 'lab', scopes: ['jinfo', 'alerts'] });
    expect(sub.username).toBe('sub.lab');
  });

  it('refuses a duplicate with ACCOUNT_EXISTS', async () => {
    await addAccount(file, { kind: 'service', name: 'ingest' });
    const duplicate = addAccount(file, { kind: 'service', name: 'ingest' });
    await expect(duplicate).rejects.toBeInstanceOf(BrokerError);
    await expect(duplicate).rejects.toMatchObject({
      code: 'ACCOUNT_EXISTS',
      context: { username: 'svc.ingest' },
    });
  });

  it('accepts fields left undefined but refuses fields of another kind', () => {
    const service = { kind: 'service', name: 'api', station: undefined, scopes: undefined };
    expect(AccountSpecSchema.parse(service)).toEqual({ kind: 'service', name: 'api' });
    expect(AccountSpecSchema.safeParse({ kind: 'service', name: 'api', station: 'jinfo' }).success).toBe(
      false,
    );
  });

  it('refuses an invalid spec with ACCOUNT_SPEC_INVALID', async () => {
    const bad = addAccount(file, { kind: 'gateway', station: 'Jinfo', gateway: 'g' });
    await expect(bad).rejects.toMatchObject({ code: 'ACCOUNT_SPEC_INVALID' });
    const reserved = addAccount(file, { kind: 'gateway', station: 'svc', gateway: 'ingest' });
    await expect(reserved).rejects.toMatchObject({ code: 'ACCOUNT_SPEC_INVALID' });
  });

  it('lists accounts without their hashes', async () => {
    await addAccount(file, { kind: 'gateway', station: 'xuefeng', gateway: 'ridge' });
    await addAccount(file, { kind: 'subscriber', name: 'lab', scopes: ['all'] });
    const accounts = await listAccounts(file);
    expect(accounts.map((account) => account.username)).toEqual(['xuefeng.ridge', 'sub.lab']);
    expect(accounts[0]).toMatchObject({ kind: 'gateway', station: 'xuefeng', gateway: 'ridge' });
    expect(JSON.stringify(accounts)).not.toMatch(/secret|salt|hash/);
  });

  it('rotation makes the old secret fail and the new one pass', async () => {
    const first = await addAccount(file, { kind: 'service', name: 'api' });
    const second = await rotateAccount(file, 'svc.api');
    expect(second.password).not.toBe(first.password);
    const secret = await secretOf('svc.api');
    expect(await verifySecret(first.password, secret)).toBe(false);
    expect(await verifySecret(second.password, secret)).toBe(true);
    const [summary] = await listAccounts(file);
    expect(summary?.rotatedAt).toBeDefined();
  });

  it('removes an account and refuses unknown usernames with ACCOUNT_NOT_FOUND', async () => {
    await addAccount(file, { kind: 'service', name: 'api' });
    await removeAccount(file, 'svc.api');
    expect(await listAccounts(file)).toEqual([]);
    await expect(removeAccount(file, 'svc.api')).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    await expect(rotateAccount(file, 'svc.nobody')).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });

  it('provisionAccount creates, then re-issues a secret for the same account', async () => {
    const created = await provisionAccount(file, { kind: 'service', name: 'ingest' });
    const again = await provisionAccount(file, { kind: 'service', name: 'ingest' });
    expect(again.username).toBe(created.username);
    expect(await verifySecret(again.password, await secretOf('svc.ingest'))).toBe(true);
    expect(await listAccounts(file)).toHaveLength(1);
  });

  it('keeps every account when several are provisioned at once', async () => {
    const stations = ['jinfo', 'xuefeng', 'jinfo', 'xuefeng'];
    const issued = await Promise.all(
      stations.map((station, i) => provisionAccount(file, { kind: 'gateway', station, gateway: `gw-${i}` })),
    );
    const usernames = (await listAccounts(file)).map((account) => account.username).sort();
    expect(usernames).toEqual(issued.map((credentials) => credentials.username).sort());
    expect(usernames).toHaveLength(4);
  });

  it('names the file and the path of an invalid credentials file', async () => {
    await addAccount(file, { kind: 'service', name: 'api' });
    const content = JSON.parse(await readFile(file, 'utf8'));
    content.accounts[0].username = 'svc.other';
    await writeFile(file, JSON.stringify(content));
    const read = readCredentialsFile(file);
    await expect(read).rejects.toMatchObject({ code: 'CREDENTIALS_FILE_INVALID', context: { file } });
    await expect(readCredentialsFile(file)).rejects.toThrow(/username/);
    await writeFile(file, '{not json');
    await expect(readCredentialsFile(file)).rejects.toMatchObject({ code: 'CREDENTIALS_FILE_INVALID' });
  });

  it('creates a client account named by its bare name, with its rights and empty denies', async () => {
    const issued = await addAccount(file, client('nodered', { subscribe: ['fs/v1/+/+/readings'] }));
    expect(issued.username).toBe('nodered');
    expect(await listAccounts(file)).toEqual([
      expect.objectContaining({
        kind: 'client',
        username: 'nodered',
        publish: [],
        subscribe: ['fs/v1/+/+/readings'],
        denyPublish: [],
        denySubscribe: [],
      }),
    ]);
  });

  it('refuses a client account that may do nothing, or with a filter that is not valid', async () => {
    const idle = addAccount(file, client('idle', {}));
    await expect(idle).rejects.toMatchObject({ code: 'ACCOUNT_SPEC_INVALID' });
    await expect(idle).rejects.toThrow(/at least one --publish or --subscribe/);
    const broken = addAccount(file, client('x', { publish: ['a/#/b'] }));
    await expect(broken).rejects.toThrow(/"a\/#\/b" '#' may only stand alone/);
  });

  it('replaces a client account’s rights and keeps its secret; other kinds are refused', async () => {
    const issued = await addAccount(file, client('logger', { publish: ['logs/#'] }));
    const rights = { publish: [], subscribe: ['logs/#'], denyPublish: [], denySubscribe: ['logs/secret'] };
    await changeClientRights(file, 'logger', rights);
    expect(await listAccounts(file)).toEqual([expect.objectContaining(rights)]);
    expect(await verifySecret(issued.password, await secretOf('logger'))).toBe(true);

    const sys = changeClientRights(file, 'logger', { ...rights, subscribe: ['$SYS/#'] });
    await expect(sys).rejects.toMatchObject({ code: 'ACCOUNT_SPEC_INVALID' });
    await expect(sys).rejects.toThrow(/\$SYS\/# is only for operator accounts/);
    const nothing = changeClientRights(file, 'logger', { ...rights, subscribe: [] });
    await expect(nothing).rejects.toThrow(/at least one --publish or --subscribe/);
    expect(await listAccounts(file)).toEqual([expect.objectContaining(rights)]);

    await addAccount(file, { kind: 'service', name: 'api' });
    await expect(changeClientRights(file, 'svc.api', rights)).rejects.toMatchObject({
      code: 'ACCOUNT_RIGHTS_FIXED',
    });
    await expect(changeClientRights(file, 'nobody', rights)).rejects.toMatchObject({
      code: 'ACCOUNT_NOT_FOUND',
    });
  });
});
