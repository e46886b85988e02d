import type { z } from 'zod';
import {
  type ApiKeySpec,
  ApiKeySpecSchema,
  type ApiKeyView,
  FileKeyStore,
  type IssuedKey,
  keyState,
  keyView,
  parseExpiry,
} from '../../api/index.js';
import { API_KEYS_OPTIONS, apiKeysFile, COMMON_OPTIONS } from '../option-sets.js';
import {
  formatHelp,
  type OptionSpec,
  type OptionValue,
  parseCommandLine,
  stringOption,
  UsageError,
} from '../options.js';

const OPTIONS: readonly OptionSpec[] = [
  ...COMMON_OPTIONS,
  ...API_KEYS_OPTIONS,
  { flag: 'role', kind: 'string', description: 'reader, technician or admin (add)' },
  { flag: 'name', kind: 'string', description: 'who or what holds the key, e.g. dashboard (add)' },
  {
    flag: 'stations',
    kind: 'string',
    description: 'only these stations, comma-separated, e.g. jinfo,xuefeng (add); default every station',
  },
  {
    flag: 'expires',
    kind: 'string',
    description: 'RFC 3339 time with a zone (2027-01-01T00:00:00Z) or a span from now (12h, 30d, 8w) (add)',
  },
  { flag: 'json', kind: 'boolean', description: 'print JSON for scripts' },
];

const USAGE = 'fieldstation apikey add --role R --name N [options]|list|revoke ID';
const SUMMARY =
  'Manages the keys of the HTTP API. A new key is printed once and stored only as a SHA-256 digest in\n' +
  'DATA_DIR/api/keys.json; a running API reads the file again when it changes, so a revoked key is\n' +
  'refused from its next request on. Roles: reader (data, alerts), technician (also quarantine, health,\n' +
  'metrics, acks and silences), admin (everything, also keys and alert subscriptions).';

function usageError(error: z.ZodError): UsageError {
  const issues = error.issues.map((issue) => `--${String(issue.path[0] ?? 'role')}: ${issue.message}`);
  return new UsageError(`cannot add this key: ${issues.join('; ')}`);
}

function specFrom(values: Record<string, OptionValue>, nowMs: number): ApiKeySpec {
  const expires = stringOption(values, 'expires');
  const expiry = expires === undefined ? undefined : parseExpiry(expires, nowMs);
  if (expiry !== undefined && !expiry.ok) throw new UsageError(`--expires: ${expiry.message}`);
  const stations = stringOption(values, 'stations');
  const parsed = ApiKeySpecSchema.safeParse({
    name: stringOption(values, 'name'),
    role: stringOption(values, 'role'),
    stations: stations?.split(',').map((station) => station.trim()) ?? null,
    expiresAt: expiry?.expiresAt ?? null,
  });
  if (!parsed.success) throw usageError(parsed.error);
  return parsed.data;
}

function printIssued(issued: IssuedKey, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(issued)}\n`);
    return;
  }
  process.stdout.write(
    `id: ${issued.id}\nname: ${issued.name}\nrole: ${issued.role}\n` +
      `stations: ${issued.stations?.join(',') ?? 'all'}\nexpires: ${issued.expiresAt ?? 'never'}\n` +
      `key: ${issued.key}\n` +
      'The key is shown only this once; send it as "Authorization: Bearer <key>".\n',
  );
}

function printList(keys: readonly ApiKeyView[], json: boolean, nowMs: number): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(keys)}\n`);
    return;
  }
  for (const key of keys) {
    const columns = [
      key.id,
      key.role,
      keyState(key, nowMs),
      key.stations?.join(',') ?? 'all',
      key.expiresAt ?? 'never',
      key.name,
    ];
    process.stdout.write(`${columns.join('\t')}\n`);
  }
}

export async function apikeyCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(OPTIONS, argv, process.env);
  const [action, id] = positionals;
  if (help || action === undefined) {
    process.stdout.write(formatHelp(USAGE, SUMMARY, OPTIONS));
    return help ? 0 : 2;
  }
  const store = new FileKeyStore(apiKeysFile(values));
  const json = values.json === true;
  const nowMs = Date.now();
  switch (action) {
    case 'add':
      printIssued(await store.add(specFrom(values, nowMs), nowMs), json);
      return 0;
    case 'list':
      printList((await store.list()).map(keyView), json, nowMs);
      return 0;
    case 'revoke': {
      if (id === undefined) throw new UsageError('apikey revoke needs a key ID (see apikey list)');
      const revoked = keyView(await store.revoke(id, nowMs));
      process.stdout.write(
        json ? `${JSON.stringify(revoked)}\n` : `revoked ${revoked.id} (${revoked.name})\n`,
      );
      return 0;
    }
    default:
      throw new UsageError(`unknown action "${action}"; use add, list or revoke`);
  }
}
