import { BrokerServer } from '../../broker/index.js';
import { warnOfMissingBrokerEnv } from '../broker-process-check.js';
import { part } from '../lifecycle.js';
import {
  BROKER_HTTP_OPTIONS,
  BROKER_LIMIT_OPTIONS,
  BROKER_LISTENER_OPTIONS,
  BROKER_OPTIONS,
  brokerLimits,
  brokerListeners,
  brokerPersistence,
  COMMON_OPTIONS,
  credentialsFile,
} from '../option-sets.js';
import { portOption, requiredString } from '../options.js';
import { serviceCommand } from '../service-command.js';

export const brokerCommand = serviceCommand({
  name: 'broker',
  usage: 'fieldstation broker [options]',
  summary: 'Runs the MQTT broker with per-gateway accounts and rights.',
  options: [
    ...COMMON_OPTIONS,
    ...BROKER_OPTIONS,
    ...BROKER_LISTENER_OPTIONS,
    ...BROKER_HTTP_OPTIONS,
    ...BROKER_LIMIT_OPTIONS,
  ],
  build: (values, logger) => {
    warnOfMissingBrokerEnv(logger);
    const host = requiredString(values, 'mqtt-host');
    const httpPort = values['broker-http-port'];
    const config = {
      host,
      port: portOption(values, 'mqtt-port'),
      credentialsFile: credentialsFile(values),
      persistence: brokerPersistence(values, logger),
      ...brokerListeners(values),
      http: typeof httpPort === 'number' ? { host, port: httpPort } : undefined,
      limits: brokerLimits(values),
    };
    return [part('broker', new BrokerServer({ config, logger }))];
  },
});
