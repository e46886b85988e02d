import type { z } from 'zod';
import {
  type AccountSpec,
  AccountSpecSchema,
  type AccountSummary,
  addAccount,
  type ClientRights,
  ClientRightsSchema,
  changeClientRights,
  listAccounts,
  type RightsFilters,
  removeAccount,
  rightsFilters,
  rotateAccount,
} from '../../broker/index.js';
import { COMMON_OPTIONS, credentialsFile } from '../option-sets.js';
import {
  formatHelp,
  type OptionSpec,
  type OptionValue,
  parseCommandLine,
  stringOption,
  stringsOption,
  UsageError,
} from '../options.js';

const RIGHTS_RULES =
  'an MQTT filter (+ and # allowed) that may hold %u (username) and %c (client id); none may start with $';

const OPTIONS: readonly OptionSpec[] = [
  ...COMMON_OPTIONS,
  {
    flag: 'credentials-file',
    env: 'FS_CREDENTIALS_FILE',
    kind: 'string',
    description: 'broker accounts; default DATA_DIR/broker/accounts.json',
  },
  { flag: 'kind', kind: 'string', description: 'gateway, service, subscriber or client (add)' },
  { flag: 'station', kind: 'string', description: 'station id (gateway accounts)' },
  { flag: 'gateway', kind: 'string', description: 'gateway id (gateway accounts)' },
  {
    flag: 'name',
    kind: 'string',
    description: 'account name, a slug (service, subscriber and client accounts)',
  },
  {
    flag: 'scope',
    kind: 'string',
    description: 'subscriber scopes, comma-separated: a station id, alerts, all, or operator ($SYS/#)',
  },
  {
    flag: 'publish',
    kind: 'strings',
    description: `client accounts (add, rights): may publish to; ${RIGHTS_RULES}`,
  },
  {
    flag: 'subscribe',
    kind: 'strings',
    description: 'client accounts: may subscribe to this filter or narrower ones',
  },
  {
    flag: 'deny-publish',
    kind: 'strings',
    description: 'client accounts: may not publish here, whatever --publish says',
  },
  {
    flag: 'deny-subscribe',
    kind: 'strings',
    description: 'client accounts: never receives these topics, whatever --subscribe says',
  },
  { flag: 'json', kind: 'boolean', description: 'print JSON for scripts' },
];

const USAGE = 'fieldstation account add|list|rotate USERNAME|remove USERNAME|rights USERNAME [options]';
const SUMMARY =
  'Manages the broker accounts. A new or rotated secret is printed once and stored only as a scrypt hash;\n' +
  "`rights` replaces a client account's --publish/--subscribe/--deny-* filters and keeps its secret.\n" +
  'A running broker picks changes up without a restart.';

/** The option that sets each field the schemas check, so an error names what the operator typed. */
const FLAGS: Readonly<Record<string, string>> = {
  scopes: 'scope',
  denyPublish: 'deny-publish',
  denySubscribe: 'deny-subscribe',
};

function usageError(what: string, error: z.ZodError): UsageError {
  const issues = error.issues.map((issue) => {
    const field = String(issue.path[0] ?? 'kind');
    return `--${FLAGS[field] ?? field}: ${issue.message}`;
  });
  return new UsageError(`${what}: ${issues.join('; ')}`);
}

function rightsFrom(values: Record<string, OptionValue>): Partial<ClientRights> {
  return {
    publish: stringsOption(values, 'publish'),
    subscribe: stringsOption(values, 'subscribe'),
    denyPublish: stringsOption(values, 'deny-publish'),
    denySubscribe: stringsOption(values, 'deny-subscribe'),
  };
}

function specFrom(values: Record<string, OptionValue>): AccountSpec {
  const scope = stringOption(values, 'scope');
  const parsed = AccountSpecSchema.safeParse({
    kind: stringOption(values, 'kind'),
    station: stringOption(values, 'station'),
    gateway: stringOption(values, 'gateway'),
    name: stringOption(values, 'name'),
    scopes: scope?.split(',').map((part) => part.trim()),
    ...rightsFrom(values),
  });
  if (!parsed.success) throw usageError('cannot add this account', parsed.error);
  return parsed.data;
}

function newRightsFrom(values: Record<string, OptionValue>): ClientRights {
  const parsed = ClientRightsSchema.safeParse(rightsFrom(values));
  if (!parsed.success) throw usageError('cannot set these rights', parsed.error);
  return parsed.data;
}

function printCredentials(credentials: { username: string; password: string }, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(credentials)}\n`);
    return;
  }
  // A client account's username is its bare name; service and subscriber ones carry a prefix.
  const where = !credentials.username.includes('.')
    ? "give it to the client (e.g. Node-RED's MQTT broker node, Security tab)"
    : /^(svc|sub)\./.test(credentials.username)
      ? 'keep it where the client reads it (e.g. FS_MQTT_PASSWORD for a service)'
      : "put it in the gateway's config (mqtt.password, or better a file named by mqtt.passwordFile)";
  process.stdout.write(
    `username: ${credentials.username}\npassword: ${credentials.password}\n` +
      `The password is shown only this once; ${where}.\n`,
  );
}

/** `publish a b; subscribe c; deny-subscribe d`, leaving out empty lists. */
function describeRights(rights: RightsFilters): string {
  const lists: [string, readonly string[]][] = [
    ['publish', rights.publish],
    ['subscribe', rights.subscribe],
    ['deny-publish', rights.denyPublish],
    ['deny-subscribe', rights.denySubscribe],
  ];
  const described = lists.filter(([, filters]) => filters.length > 0);
  return described.map(([name, filters]) => `${name} ${filters.join(' ')}`).join('; ') || 'nothing';
}

function printList(accounts: readonly AccountSummary[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(accounts)}\n`);
    return;
  }
  for (const account of accounts) {
    process.stdout.write(`${account.username}\t${account.kind}\t${describeRights(rightsFilters(account))}\n`);
  }
}

export async function accountCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(OPTIONS, argv, process.env);
  const [action, username] = positionals;
  if (help || action === undefined) {
    process.stdout.write(formatHelp(USAGE, SUMMARY, OPTIONS));
    return help ? 0 : 2;
  }
  const file = credentialsFile(values);
  const json = values.json === true;
  const requireUsername = (): string => {
    if (username === undefined) throw new UsageError(`account ${action} needs a USERNAME`);
    return username;
  };
  switch (action) {
    case 'add':
      printCredentials(await addAccount(file, specFrom(values)), json);
      return 0;
    case 'rotate':
      printCredentials(await rotateAccount(file, requireUsername()), json);
      return 0;
    case 'rights':
      await changeClientRights(file, requireUsername(), newRightsFrom(values));
      process.stdout.write(json ? '{"changed":true}\n' : `rights of ${username} replaced\n`);
      return 0;
    case 'remove':
      await removeAccount(file, requireUsername());
      process.stdout.write(json ? '{"removed":true}\n' : `removed ${username}\n`);
      return 0;
    case 'list':
      printList(await listAccounts(file), json);
      return 0;
    default:
      throw new UsageError(`unknown action "${action}"; use add, list, rotate, rights or remove`);
  }
}
