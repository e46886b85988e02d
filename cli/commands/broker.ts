import { BrokerServer } from '../../broker/index.js';
import { part, runUntilSignal } from '../lifecycle.js';
import { createLogger } from '../logger.js';
import { BROKER_OPTIONS, COMMON_OPTIONS, credentialsFile } from '../option-sets.js';
import { formatHelp, parseCommandLine, portOption, requiredString } from '../options.js';

const OPTIONS = [...COMMON_OPTIONS, ...BROKER_OPTIONS];

export async function brokerCommand(argv: readonly string[]): Promise<number> {
  const { values, help } = parseCommandLine(OPTIONS, argv, process.env);
  if (help) {
    process.stdout.write(
      formatHelp(
        'fieldstation broker [options]',
        'Runs the MQTT broker with per-gateway accounts and rights.',
        OPTIONS,
      ),
    );
    return 0;
  }
  const logger = createLogger(requiredString(values, 'log-level'), 'broker');
  const broker = new BrokerServer({
    config: {
      host: requiredString(values, 'mqtt-host'),
      port: portOption(values, 'mqtt-port'),
      credentialsFile: credentialsFile(values),
    },
    logger,
  });
  return runUntilSignal([part('broker', broker)], logger);
}
