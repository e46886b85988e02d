import { provisionAccount } from '../../broker/index.js';
import { NotifyConfigSchema, NotifyService } from '../../notify/index.js';
import type { Part } from '../lifecycle.js';
import { COMMON_OPTIONS, dataDir, MQTT_CLIENT_OPTIONS, NOTIFY_OPTIONS } from '../option-sets.js';
import { type OptionValue, requiredString, stringOption, UsageError } from '../options.js';
import { serviceCommand } from '../service-command.js';

/** The notifier logs in as given, or as the `notify` service account issued afresh in the credentials file. */
async function credentials(
  values: Record<string, OptionValue>,
): Promise<{ username?: string; password?: string }> {
  const username = stringOption(values, 'mqtt-username');
  if (username !== undefined) return { username, password: stringOption(values, 'mqtt-password') };
  const file = stringOption(values, 'credentials-file');
  if (file === undefined) return {};
  return provisionAccount(file, { kind: 'service', name: 'notify' });
}

export const notifyCommand = serviceCommand({
  name: 'notify',
  usage: 'fieldstation notify --subscribers FILE [options]',
  summary:
    'Sends alert notifications by email and signed webhook, with repeats, escalation, flapping control,\n' +
    'acknowledgements and silences, as the subscribers file says (see docs/notifications.md). Logs in with\n' +
    'the `notify` service account: --mqtt-username/--mqtt-password, or --credentials-file to issue it.',
  options: [...COMMON_OPTIONS, ...MQTT_CLIENT_OPTIONS, ...NOTIFY_OPTIONS],
  build: async (values, logger): Promise<Part[]> => {
    const subscribersFile = stringOption(values, 'subscribers');
    if (subscribersFile === undefined)
      throw new UsageError('notify needs --subscribers FILE (FS_SUBSCRIBERS_FILE)');
    const config = NotifyConfigSchema.parse({
      mqtt: {
        url: requiredString(values, 'mqtt-url'),
        clientId: stringOption(values, 'mqtt-client-id'),
        ...(await credentials(values)),
      },
      subscribersFile,
      dataDir: dataDir(values),
    });
    const service = new NotifyService({ config, logger });
    return [{ name: 'notify', start: () => service.start(), stop: () => service.stop() }];
  },
});
