import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gatewayUnitName, loadGatewayConfig, renderGatewayUnit } from '../../firmware-bridge/index.js';
import { formatHelp, type OptionSpec, parseCommandLine, requiredString } from '../options.js';
import { gatewayBundleDir } from '../package-root.js';

const OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'config',
    env: 'FS_GATEWAY_CONFIG',
    kind: 'string',
    description: 'the gateway config file (YAML or JSON)',
  },
  { flag: 'user', kind: 'string', default: 'fieldstation', description: 'system user the service runs as' },
  {
    flag: 'unit-dir',
    kind: 'string',
    default: '/etc/systemd/system',
    description: 'where the unit file is written; "-" prints it instead',
  },
];

/** The unit would point at a file that is not there: the package was not built. */
class GatewayBundleMissingError extends Error {
  readonly code = 'GATEWAY_BUNDLE_MISSING';
  constructor(readonly entry: string) {
    super(`the gateway's bundle ${entry} does not exist: run \`npm run build\` in the package first`);
  }
}

const USAGE = 'fieldstation gateway install-service --config FILE [options]';
const SUMMARY =
  'Writes a systemd unit that runs this gateway at boot and restarts it whenever it stops. The config is\n' +
  'checked first; the unit names it by absolute path. Prints the commands that create the user and the\n' +
  'outbox directory and enable the service.';

export async function gatewayInstallServiceCommand(argv: readonly string[]): Promise<number> {
  const { values, help } = parseCommandLine(OPTIONS, argv, process.env);
  if (help) {
    process.stdout.write(formatHelp(USAGE, SUMMARY, OPTIONS));
    return 0;
  }
  const configPath = resolve(requiredString(values, 'config'));
  const config = await loadGatewayConfig(configPath);
  const entry = join(gatewayBundleDir(), 'main.js');
  if (!existsSync(entry)) {
    throw new GatewayBundleMissingError(entry);
  }
  const user = requiredString(values, 'user');
  const unit = renderGatewayUnit({
    station: config.station,
    gateway: config.gateway,
    configPath,
    node: process.execPath,
    entry,
    user,
    writablePaths: [config.outbox.dir],
  });
  const name = gatewayUnitName(config.station, config.gateway);
  const unitDir = requiredString(values, 'unit-dir');
  if (unitDir === '-') {
    process.stdout.write(unit);
    return 0;
  }
  const file = join(unitDir, name);
  await writeFile(file, unit, { mode: 0o644 });
  process.stdout.write(
    [
      `wrote ${file}`,
      'Then, as root:',
      `  id ${user} >/dev/null 2>&1 || useradd --system --no-create-home --groups dialout ${user}`,
      `  install -d -o ${user} -g ${user} -m 0750 ${config.outbox.dir}`,
      '  systemctl daemon-reload',
      `  systemctl enable --now ${name}`,
      `  journalctl -u ${name} -f     # its logs`,
      '',
    ].join('\n'),
  );
  return 0;
}
