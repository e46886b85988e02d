import { Gateway, loadGatewayConfig } from '../../firmware-bridge/index.js';
import { part } from '../lifecycle.js';
import { LOG_OPTIONS } from '../option-sets.js';
import { requiredString } from '../options.js';
import { serviceCommand } from '../service-command.js';

export const gatewayCommand = serviceCommand({
  name: 'gateway',
  usage: 'fieldstation gateway --config FILE [options]',
  summary:
    'Runs a gateway: reads the sensors of its config, keeps every batch in a durable outbox until the broker\n' +
    'confirms it, and publishes readings, status and health under fs/v1/{station}/{gateway}/.',
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
