import { IngestConfigSchema, IngestService } from '../../ingest/index.js';
import { part, runUntilSignal } from '../lifecycle.js';
import { createLogger } from '../logger.js';
import {
  ALERT_OPTIONS,
  COMMON_OPTIONS,
  INFLUX_OPTIONS,
  influxConfig,
  MQTT_CLIENT_OPTIONS,
  STANDALONE_INFLUX_URL,
} from '../option-sets.js';
import { formatHelp, parseCommandLine, requiredString, stringOption } from '../options.js';

const OPTIONS = [...COMMON_OPTIONS, ...MQTT_CLIENT_OPTIONS, ...INFLUX_OPTIONS, ...ALERT_OPTIONS];
const SUMMARY =
  "Subscribes to every gateway's readings with a persistent QoS 1 session, stores them in InfluxDB, quarantines\n" +
  'bad input, counts sequence gaps and evaluates alert rules. Create its account with\n' +
  '`fieldstation account add --kind service --name ingest`.';

export async function ingestCommand(argv: readonly string[]): Promise<number> {
  const { values, help } = parseCommandLine(OPTIONS, argv, process.env);
  if (help) {
    process.stdout.write(formatHelp('fieldstation ingest [options]', SUMMARY, OPTIONS));
    return 0;
  }
  const logger = createLogger(requiredString(values, 'log-level'), 'ingest');
  const config = IngestConfigSchema.parse({
    mqtt: {
      url: requiredString(values, 'mqtt-url'),
      username: stringOption(values, 'mqtt-username'),
      password: stringOption(values, 'mqtt-password'),
    },
    influx: influxConfig(values, stringOption(values, 'influx-url') ?? STANDALONE_INFLUX_URL),
    alertsFile: stringOption(values, 'alerts-file'),
  });
  return runUntilSignal([part('ingest', new IngestService({ config, logger }))], logger);
}
