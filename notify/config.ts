import { z } from 'zod';
import { DeliveryRetrySchema } from './delivery/retry-schedule.js';

export const NotifyMqttConfigSchema = z.object({
  url: z.string().regex(/^(mqtts?|wss?|tcp):\/\/.+/, 'must be an MQTT URL such as mqtt://127.0.0.1:1883'),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  // A fixed client id ties the notifier to its persistent session: events wait on the broker for it.
  clientId: z.string().min(1).max(64).default('fs-notify'),
  reconnectMs: z.number().int().positive().default(1000),
});

export const NotifyConfigSchema = z.object({
  mqtt: NotifyMqttConfigSchema,
  /** Contacts, channels and routes (YAML or JSON); watched and reloaded while running. */
  subscribersFile: z.string().min(1),
  /** The journal lives under DATA_DIR/notify. */
  dataDir: z.string().min(1),
  retry: DeliveryRetrySchema.default(DeliveryRetrySchema.parse({})),
  /** How often repeats, escalations, flapping holds and due retries are looked at. */
  tickMs: z.number().int().positive().default(1000),
  /**
   * After each (re)connection, how long the retained events, acknowledgements and silences are only
   * recorded, not planned on: they come on two subscriptions in no set order, and an event planned
   * before its acknowledgement arrived would be repeated to people who had already acknowledged it.
   */
  settleMs: z.number().int().nonnegative().default(1000),
  /** Quiet time after a change of the subscribers file before it is reloaded. */
  reloadDebounceMs: z.number().int().nonnegative().default(200),
});

export type NotifyMqttConfig = z.output<typeof NotifyMqttConfigSchema>;
export type NotifyConfig = z.output<typeof NotifyConfigSchema>;
export type NotifyConfigInput = z.input<typeof NotifyConfigSchema>;
