import { IngestConfigSchema, IngestService } from '../../ingest/index.js';
import { part } from '../lifecycle.js';
import {
  ALERT_OPTIONS,
  COMMON_OPTIONS,
  INFLUX_OPTIONS,
  INGEST_OPTIONS,
  influxConfig,
  ingestOptions,
  MQTT_CLIENT_OPTIONS,
  mqttClientId,
  STANDALONE_INFLUX_URL,
} from '../option-sets.js';
import { requiredString, stringOption } from '../options.js';
import { serviceCommand } from '../service-command.js';

export const ingestCommand = serviceCommand({
  name: 'ingest',
  usage: 'fieldstation ingest [options]',
  summary:
    "Subscribes to every gateway's readings with a persistent QoS 1 session, stores them in InfluxDB, quarantines\n" +
    'bad input, counts sequence gaps and evaluates alert rules. Create its account with\n' +
    '`fieldstation account add --kind service --name ingest`.',
  options: [
    ...COMMON_OPTIONS,
    ...MQTT_CLIENT_OPTIONS,
    ...INFLUX_OPTIONS,
    ...INGEST_OPTIONS,
    ...ALERT_OPTIONS,
  ],
  build: (values, logger) => {
    const config = IngestConfigSchema.parse({
      ...ingestOptions(values),
      mqtt: {
        url: requiredString(values, 'mqtt-url'),
        ...mqttClientId(values),
        username: stringOption(values, 'mqtt-username'),
        password: stringOption(values, 'mqtt-password'),
      },
      influx: influxConfig(values, stringOption(values, 'influx-url') ?? STANDALONE_INFLUX_URL),
      alertsFile: stringOption(values, 'alerts-file'),
    });
    return [part('ingest', new IngestService({ config, logger }))];
  },
});
