import { BrokerServer } from '../../broker/index.js';
import { part } from '../lifecycle.js';
import { BROKER_OPTIONS, COMMON_OPTIONS, credentialsFile } from '../option-sets.js';
import { portOption, requiredString } from '../options.js';
import { serviceCommand } from '../service-command.js';

export const brokerCommand = serviceCommand({
  name: 'broker',
  usage: 'fieldstation broker [options]',
  summary: 'Runs the MQTT broker with per-gateway accounts and rights.',
  options: [...COMMON_OPTIONS, ...BROKER_OPTIONS],
  build: (values, logger) => {
    const config = {
      host: requiredString(values, 'mqtt-host'),
      port: portOption(values, 'mqtt-port'),
      credentialsFile: credentialsFile(values),
    };
    return [part('broker', new BrokerServer({ config, logger }))];
  },
});
