import { z } from 'zod';
import {
  GatewayIdSchema,
  MAX_READINGS_PER_BATCH,
  QuantitySchema,
  SensorIdSchema,
  SlugSchema,
  StationIdSchema,
  UnitSchema,
} from '../../protocol/index.js';
import { SignalSchema } from '../drivers/signals/index.js';

const MIB = 1024 * 1024;

const FieldName = z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'must be 1-32 letters, digits, "_", "." or "-"');

export const CsvLineFormatSchema = z.strictObject({
  type: z.literal('csv'),
  delimiter: z.string().length(1).default(','),
  /** One entry per column: which holds the channel key, the value, the sample time, or nothing of ours. */
  columns: z
    .array(z.enum(['channel', 'value', 'time', 'skip']))
    .min(1)
    .max(64),
});

export const KeyValueLineFormatSchema = z.strictObject({
  type: z.literal('kv'),
  channelKey: FieldName.default('sensor'),
  valueKey: FieldName.default('value'),
  timeKey: FieldName.default('time'),
});

/** The whole line is the value: only for a port that carries one sensor. */
export const ValueLineFormatSchema = z.strictObject({ type: z.literal('value') });

export const LineFormatSchema = z.discriminatedUnion('type', [
  CsvLineFormatSchema,
  KeyValueLineFormatSchema,
  ValueLineFormatSchema,
]);

export const SerialPortConfigSchema = z.strictObject({
  id: SlugSchema,
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  format: LineFormatSchema,
});

export const SerialLineDriverConfigSchema = z.strictObject({
  type: z.literal('serial-line'),
  /** Id of an entry in `serialPorts`. */
  port: SlugSchema,
  /** The key that marks this sensor's lines on a shared port; defaults to the sensor id. */
  channel: z
    .string()
    .regex(/^[^\s,=]{1,64}$/, 'must be 1-64 characters without spaces, "," or "="')
    .optional(),
});

export const SimulatorDriverConfigSchema = z.strictObject({
  type: z.literal('simulator'),
  /** Sensors sharing a seed share weather: storms, icing episodes. */
  seed: z.number().int().nonnegative().max(0xffffffff).default(1),
  decimals: z.number().int().min(0).max(6).default(2),
  signal: SignalSchema,
});

export const DriverConfigSchema = z.discriminatedUnion('type', [
  SerialLineDriverConfigSchema,
  SimulatorDriverConfigSchema,
]);

export const SensorConfigSchema = z.strictObject({
  id: SensorIdSchema,
  quantity: QuantitySchema,
  unit: UnitSchema,
  /** How often the sensor is sampled (simulator) or is expected to report (serial). */
  intervalMs: z.number().int().min(10).max(86_400_000),
  /** Applied to the raw value: value = raw * scale + offset. */
  calibration: z.strictObject({ scale: z.number().default(1), offset: z.number().default(0) }).optional(),
  /** Values outside are flagged qc=4 (fail) and kept; without a range readings are qc=2. */
  range: z
    .strictObject({ min: z.number(), max: z.number() })
    .refine((range) => range.min <= range.max, { message: 'min must not exceed max', path: ['max'] })
    .optional(),
  driver: DriverConfigSchema,
});

const MqttConfigSchema = z
  .strictObject({
    url: z.string().regex(/^(mqtts?|wss?|tcp|ssl):\/\/\S+$/, 'must be an MQTT URL such as mqtt://host:1883'),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** A file holding the password, so the config can be shared without the secret. */
    passwordFile: z.string().min(1).optional(),
  })
  .refine((mqtt) => mqtt.password === undefined || mqtt.passwordFile === undefined, {
    message: 'give password or passwordFile, not both',
    path: ['passwordFile'],
  });

const GatewayConfigObjectSchema = z.strictObject({
  station: StationIdSchema,
  gateway: GatewayIdSchema,
  mqtt: MqttConfigSchema,
  outbox: z.strictObject({
    /** Relative paths are resolved against the config file's directory. */
    dir: z.string().min(1),
    maxBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .default(64 * MIB),
  }),
  batch: z
    .strictObject({
      maxReadings: z.number().int().min(1).max(MAX_READINGS_PER_BATCH).default(100),
      maxDelayMs: z.number().int().min(0).max(3_600_000).default(1000),
    })
    .prefault({}),
  healthIntervalMs: z.number().int().min(1000).default(30_000),
  serialPorts: z.array(SerialPortConfigSchema).default([]),
  sensors: z.array(SensorConfigSchema).min(1).max(1000),
});

export const GatewayConfigSchema = GatewayConfigObjectSchema.superRefine(checkReferences);

export type LineFormat = z.output<typeof LineFormatSchema>;
export type CsvLineFormat = z.output<typeof CsvLineFormatSchema>;
export type KeyValueLineFormat = z.output<typeof KeyValueLineFormatSchema>;
export type SerialPortConfig = z.output<typeof SerialPortConfigSchema>;
export type SerialLineDriverConfig = z.output<typeof SerialLineDriverConfigSchema>;
export type SimulatorDriverConfig = z.output<typeof SimulatorDriverConfigSchema>;
export type SensorConfig = z.output<typeof SensorConfigSchema>;
export type GatewayConfig = z.output<typeof GatewayConfigSchema>;
type GatewayConfigShape = z.output<typeof GatewayConfigObjectSchema>;

/** The channel a serial sensor answers to. */
export function channelOf(sensor: SensorConfig & { driver: SerialLineDriverConfig }): string {
  return sensor.driver.channel ?? sensor.id;
}

function duplicates<T>(items: readonly T[], key: (item: T) => string): number[] {
  const seen = new Set<string>();
  return items.flatMap((item, index) => {
    const k = key(item);
    if (seen.has(k)) return [index];
    seen.add(k);
    return [];
  });
}

function checkCsvColumns(ports: GatewayConfigShape['serialPorts'], ctx: z.RefinementCtx): void {
  ports.forEach((port, index) => {
    if (port.format.type !== 'csv') return;
    const { columns } = port.format;
    const count = (role: string) => columns.filter((column) => column === role).length;
    if (count('value') !== 1 || count('channel') > 1 || count('time') > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['serialPorts', index, 'format', 'columns'],
        message: 'expected exactly one "value" column and at most one "channel" and one "time" column',
      });
    }
  });
}

function checkSerialSensors(config: GatewayConfigShape, ctx: z.RefinementCtx): void {
  const ports = new Map(config.serialPorts.map((port) => [port.id, port]));
  const channelsByPort = new Map<string, Set<string>>();
  config.sensors.forEach((sensor, index) => {
    if (sensor.driver.type !== 'serial-line') return;
    const path = ['sensors', index, 'driver'];
    const port = ports.get(sensor.driver.port);
    if (port === undefined) {
      const known = [...ports.keys()].join(', ') || 'none';
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'port'],
        message: `expected a serialPorts id (${known})`,
      });
      return;
    }
    const channels = channelsByPort.get(port.id) ?? new Set<string>();
    channelsByPort.set(port.id, channels);
    const channel = channelOf({ ...sensor, driver: sensor.driver });
    const single =
      port.format.type === 'value' ||
      (port.format.type === 'csv' && !port.format.columns.includes('channel'));
    if (single && channels.size > 0) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'port'],
        message: `port "${port.id}" has no channel key in its lines, so it can carry only one sensor`,
      });
    } else if (channels.has(channel)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'channel'],
        message: `channel "${channel}" is already used on port "${port.id}"`,
      });
    }
    channels.add(channel);
  });
}

function checkReferences(config: GatewayConfigShape, ctx: z.RefinementCtx): void {
  for (const index of duplicates(config.sensors, (s) => s.id)) {
    ctx.addIssue({ code: 'custom', path: ['sensors', index, 'id'], message: 'expected a unique sensor id' });
  }
  for (const index of duplicates(config.serialPorts, (p) => p.id)) {
    ctx.addIssue({
      code: 'custom',
      path: ['serialPorts', index, 'id'],
      message: 'expected a unique port id',
    });
  }
  checkCsvColumns(config.serialPorts, ctx);
  checkSerialSensors(config, ctx);
}
