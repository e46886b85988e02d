import {
  type AccountSpec,
  AccountSpecSchema,
  addAccount,
  listAccounts,
  removeAccount,
  rotateAccount,
} from '../../broker/index.js';
import { COMMON_OPTIONS, credentialsFile } from '../option-sets.js';
import { formatHelp, type OptionSpec, parseCommandLine, stringOption, UsageError } from '../options.js';

const OPTIONS: readonly OptionSpec[] = [
  ...COMMON_OPTIONS,
  {
    flag: 'credentials-file',
    env: 'FS_CREDENTIALS_FILE',
    kind: 'string',
    description: 'broker accounts; default DATA_DIR/broker/accounts.json',
  },
  { flag: 'kind', kind: 'string', description: 'gateway, service or subscriber (add)' },
  { flag: 'station', kind: 'string', description: 'station id (gateway accounts)' },
  { flag: 'gateway', kind: 'string', description: 'gateway id (gateway accounts)' },
  { flag: 'name', kind: 'string', description: 'account name (service and subscriber accounts)' },
  {
    flag: 'scope',
    kind: 'string',
    description: 'subscriber scopes, comma-separated: a station id, alerts, all, or operator ($SYS/#)',
  },
  { flag: 'json', kind: 'boolean', description: 'print JSON for scripts' },
];

const USAGE = 'fieldstation account add|list|rotate USERNAME|remove USERNAME [options]';
const SUMMARY =
  'Manages the broker accounts. A new or rotated secret is printed once and stored only as a scrypt hash;\n' +
  'a running broker picks changes up without a restart.';

function specFrom(values: Record<string, string | number | boolean | undefined>): AccountSpec {
  const scope = stringOption(values, 'scope');
  const parsed = AccountSpecSchema.safeParse({
    kind: stringOption(values, 'kind'),
    station: stringOption(values, 'station'),
    gateway: stringOption(values, 'gateway'),
    name: stringOption(values, 'name'),
    scopes: scope?.split(',').map((part) => part.trim()),
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `--${String(issue.path[0] ?? 'kind')}: ${issue.message}`,
    );
    throw new UsageError(`cannot add this account: ${issues.join('; ')}`);
  }
  return parsed.data;
}

function printCredentials(credentials: { username: string; password: string }, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(credentials)}\n`);
    return;
  }
  // Service and subscriber usernames carry their prefix; every other account is a gateway.
  const where = /^(svc|sub)\./.test(credentials.username)
    ? 'keep it where the client reads it (e.g. FS_MQTT_PASSWORD for a service)'
    : "put it in the gateway's config (mqtt.password, or better a file named by mqtt.passwordFile)";
  process.stdout.write(
    `username: ${credentials.username}\npassword: ${credentials.password}\n` +
      `The password is shown only this once; ${where}.\n`,
  );
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
    case 'remove':
      await removeAccount(file, requireUsername());
      process.stdout.write(json ? '{"removed":true}\n' : `removed ${username}\n`);
      return 0;
    case 'list': {
      const accounts = await listAccounts(file);
      if (json) {
        process.stdout.write(`${JSON.stringify(accounts)}\n`);
      } else {
        for (const account of accounts) process.stdout.write(`${account.username}\t${account.kind}\n`);
      }
      return 0;
    }
    default:
      throw new UsageError(`unknown action "${action}"; use add, list, rotate or remove`);
  }
}
