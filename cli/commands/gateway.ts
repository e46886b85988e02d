import { Gateway, loadGatewayConfig } from '../../firmware-bridge/index.js';
import { part, runUntilSignal } from '../lifecycle.js';
import { createLogger } from '../logger.js';
import { formatHelp, type OptionSpec, parseCommandLine, requiredString } from '../options.js';

const OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'log-level',
    env: 'FS_LOG_LEVEL',
    kind: 'string',
    default: 'info',
    description: 'fatal … trace, or silent',
  },
  {
    flag: 'config',
    env: 'FS_GATEWAY_CONFIG',
    kind: 'string',
    description: 'the gateway config file (YAML or JSON)',
  },
];

const SUMMARY =
  'Runs a gateway: reads the sensors of its config, keeps every batch in a durable outbox until the broker\n' +
  'confirms it, and publishes readings, status and health under fs/v1/{station}/{gateway}/.';

export async function gatewayCommand(argv: readonly string[]): Promise<number> {
  const { values, help } = parseCommandLine(OPTIONS, argv, process.env);
  if (help) {
    process.stdout.write(formatHelp('fieldstation gateway --config FILE [options]', SUMMARY, OPTIONS));
    return 0;
  }
  const config = await loadGatewayConfig(requiredString(values, 'config'));
  const logger = createLogger(requiredString(values, 'log-level'), 'gateway').child({
    station: config.station,
    gateway: config.gateway,
  });
  return runUntilSignal([part('gateway', new Gateway({ config, logger }))], logger);
}
