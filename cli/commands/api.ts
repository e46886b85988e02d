import { ApiConfigSchema, ApiServer } from '../../api/index.js';
import { part } from '../lifecycle.js';
import {
  API_KEYS_OPTIONS,
  apiKeysFile,
  COMMON_OPTIONS,
  HTTP_OPTIONS,
  httpListen,
  INFLUX_OPTIONS,
  influxConfig,
  MQTT_CLIENT_OPTIONS,
  STANDALONE_INFLUX_URL,
  SUBSCRIBERS_OPTIONS,
} from '../option-sets.js';
import { requiredString, stringOption } from '../options.js';
import { serviceCommand } from '../service-command.js';
import { FileSubscriptionsStore } from '../subscriptions-store.js';

export const apiCommand = serviceCommand({
  name: 'api',
  usage: 'fieldstation api [options]',
  summary:
    'Serves the HTTP API: series from InfluxDB, gateway and alert state from the broker. Create its account with\n' +
    '`fieldstation account add --kind service --name api`. With --subscribers it also reads and replaces\n' +
    "the notifier's subscribers file (GET/PUT /v1/alerts/subscriptions). Every route but /healthz needs an\n" +
    'API key (`fieldstation apikey add`); keys are read from the same file as `up` uses.',
  options: [
    ...COMMON_OPTIONS,
    ...HTTP_OPTIONS,
    ...API_KEYS_OPTIONS,
    ...MQTT_CLIENT_OPTIONS,
    ...INFLUX_OPTIONS,
    ...SUBSCRIBERS_OPTIONS,
  ],
  build: (values, logger) => {
    const config = ApiConfigSchema.parse({
      ...httpListen(values),
      influx: influxConfig(values, stringOption(values, 'influx-url') ?? STANDALONE_INFLUX_URL),
      mqtt: {
        url: requiredString(values, 'mqtt-url'),
        username: stringOption(values, 'mqtt-username'),
        password: stringOption(values, 'mqtt-password'),
      },
      keysFile: apiKeysFile(values),
    });
    const subscribersFile = stringOption(values, 'subscribers');
    const subscriptions =
      subscribersFile === undefined ? {} : { subscriptions: new FileSubscriptionsStore(subscribersFile) };
    return [part('api', new ApiServer({ config, logger, ...subscriptions }))];
  },
});
