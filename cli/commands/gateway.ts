import { Gateway, loadGatewayConfig } from '../../firmware-bridge/index.js';
import { part } from '../lifecycle.js';
import { LOG_OPTIONS } from '../log-options.js';
import { requiredString } from '../options.js';
import { serviceCommand } from '../service-command.js';
import { gatewayCheckCommand } from './gateway-check.js';
import { gatewayInstallServiceCommand } from './gateway-install-service.js';

const runGateway = serviceCommand({
  name: 'gateway',
  usage: 'fieldstation gateway [check | install-service] --config FILE [options]',
  summary:
    'Runs a gateway: reads the sensors of its config, keeps every batch in a durable outbox until the broker\n' +
    'confirms it, and publishes readings, status and health under fs/v1/{station}/{gateway}/.\n' +
    '`gateway check` tries every sensor once and prints a table; `gateway install-service` writes a systemd unit.',
  options: [
    ...LOG_OPTIONS,
    {
      flag: 'config',
      env: 'FS_GATEWAY_CONFIG',
      kind: 'string',
      description: 'the gateway config file (YAML or JSON)',
    },
  ],
  build: async (values, logger) => {
    const config = await loadGatewayConfig(requiredString(values, 'config'));
    return [part('gateway', new Gateway({ config, logger }))];
  },
});

const SUBCOMMANDS: Readonly<Record<string, (argv: readonly string[]) => Promise<number>>> = {
  check: gatewayCheckCommand,
  'install-service': gatewayInstallServiceCommand,
};

export function gatewayCommand(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  const subcommand = first === undefined ? undefined : SUBCOMMANDS[first];
  return subcommand === undefined ? runGateway(argv) : subcommand(rest);
}
