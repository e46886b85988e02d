import { ApiConfigSchema, ApiServer } from '../../api/index.js';
import { part, runUntilSignal } from '../lifecycle.js';
import { createLogger } from '../logger.js';
import {
  COMMON_OPTIONS,
  HTTP_OPTIONS,
  INFLUX_OPTIONS,
  influxConfig,
  MQTT_CLIENT_OPTIONS,
  STANDALONE_INFLUX_URL,
} from '../option-sets.js';
import { formatHelp, parseCommandLine, portOption, requiredString, stringOption } from '../options.js';

const OPTIONS = [...COMMON_OPTIONS, ...HTTP_OPTIONS, ...MQTT_CLIENT_OPTIONS, ...INFLUX_OPTIONS];
const SUMMARY =
  'Serves the HTTP API: series from InfluxDB, gateway and alert state from the broker. Create its account with\n' +
  '`fieldstation account add --kind service --name api`.';

export async function apiCommand(argv: readonly string[]): Promise<number> {
  const { values, help } = parseCommandLine(OPTIONS, argv, process.env);
  if (help) {
    process.stdout.write(formatHelp('fieldstation api [options]', SUMMARY, OPTIONS));
    return 0;
  }
  const logger = createLogger(requiredString(values, 'log-level'), 'api');
  const config = ApiConfigSchema.parse({
    host: requiredString(values, 'http-host'),
    port: portOption(values, 'http-port'),
    influx: influxConfig(values, stringOption(values, 'influx-url') ?? STANDALONE_INFLUX_URL),
    mqtt: {
      url: requiredString(values, 'mqtt-url'),
      username: stringOption(values, 'mqtt-username'),
      password: stringOption(values, 'mqtt-password'),
    },
  });
  return runUntilSignal([part('api', new ApiServer({ config, logger }))], logger);
}
