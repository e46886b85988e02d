import { z } from 'zod';
import {
  GatewayIdSchema,
  MAX_READINGS_PER_BATCH,
  QuantitySchema,
  SensorIdSchema,
  StationIdSchema,
  UnitSchema,
} from '../../protocol/index.js';
import { DRIVER_CATALOGUE, type DriverCatalogue } from '../drivers/catalogue.js';
import {
  type CatalogueEntry,
  type CheckView,
  protocolTypes,
  type TypedSchema,
} from '../drivers/driver-module.js';
import { FileLocationShape } from '../drivers/file-source.js';
import { SerialTransportShape } from '../drivers/serial/serial-port-config.js';
import { QcConfigSchema, ValueRangeSchema } from '../qc/qc-config.js';
import { checkClockSource } from '../time/check-clock-source.js';
import { ClockConfigSchema } from '../time/clock-config.js';
import { checkMetaDates, GatewayMetaConfigSchema, MetadataConfigSchema } from './meta-config.js';

const MIB = 1024 * 1024;

type Configs<M> = { -readonly [K in keyof M]: M[K] extends { config: infer S } ? S : never };
type Protocols<M, Key extends string> = M extends readonly [infer Head, ...infer Rest]
  ? [...(Head extends { [P in Key]: readonly [...infer List] } ? List : []), ...Protocols<Rest, Key>]
  : [];

// The catalogue's schemas, as the tuples the unions need: `map` and `flatMap` lose a tuple's type.
const driverConfigs = DRIVER_CATALOGUE.map((module) => module.config) as Configs<DriverCatalogue>;
const portProtocols = DRIVER_CATALOGUE.flatMap(
  (module): readonly TypedSchema[] => module.portProtocols,
) as Protocols<DriverCatalogue, 'portProtocols'>;
const fileProtocols = DRIVER_CATALOGUE.flatMap(
  (module): readonly TypedSchema[] => module.fileProtocols,
) as Protocols<DriverCatalogue, 'fileProtocols'>;

/** What is spoken over a serial port: every protocol of every driver in the catalogue. */
export const PortProtocolSchema = z.discriminatedUnion('type', portProtocols);

export const SerialPortConfigSchema = z.strictObject({
  ...SerialTransportShape,
  protocol: PortProtocolSchema,
});

/** `files[]`: data files the gateway follows, as `serialPorts[]` are the cables it reads. */
export const FileSourceConfigSchema = z.strictObject({
  ...FileLocationShape,
  protocol: z.discriminatedUnion('type', fileProtocols),
});

export const DriverConfigSchema = z.discriminatedUnion('type', driverConfigs);

export const SensorConfigSchema = z.strictObject({
  id: SensorIdSchema,
  quantity: QuantitySchema,
  unit: UnitSchema,
  /** How often the sensor is sampled (simulator) or is expected to report (serial). */
  intervalMs: z.number().int().min(10).max(86_400_000),
  /** Applied to the raw value: value = raw * scale + offset. */
  calibration: z.strictObject({ scale: z.number().default(1), offset: z.number().default(0) }).optional(),
  /** The sensor's span (QARTOD gross range test): values outside are kept and flagged qc=4 (fail). */
  range: ValueRangeSchema.optional(),
  /** The other QARTOD tests; a reading no test could judge is qc=2 (not evaluated). */
  qc: QcConfigSchema.optional(),
  /** Position, make, model, serial, installation, calibration record: published in the `meta` message. */
  meta: MetadataConfigSchema.optional(),
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
  /** What the gateway says about its station and itself in the retained `meta` message. */
  meta: GatewayMetaConfigSchema.optional(),
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
  clock: ClockConfigSchema.prefault({}),
  serialPorts: z.array(SerialPortConfigSchema).default([]),
  /** Data files the gateway follows (a logger's TOA5 table written by LoggerNet). */
  files: z.array(FileSourceConfigSchema).default([]),
  sensors: z.array(SensorConfigSchema).min(1).max(1000),
});

export const GatewayConfigSchema = GatewayConfigObjectSchema.superRefine(checkReferences);

export type PortProtocol = z.output<typeof PortProtocolSchema>;
export type SerialPortConfig = z.output<typeof SerialPortConfigSchema>;
export type DriverConfig = z.output<typeof DriverConfigSchema>;
export type SensorConfig = z.output<typeof SensorConfigSchema>;
export type GatewayConfig = z.output<typeof GatewayConfigSchema>;
export type GatewayConfigShape = z.output<typeof GatewayConfigObjectSchema>;
/** A sensor whose driver is of type T, with the driver's config narrowed to match. */
export type SensorOf<T extends DriverType> = SensorConfig & { driver: Extract<DriverConfig, { type: T }> };
/** A port whose protocol is of type T. */
export type PortOf<T extends ProtocolType> = SerialPortConfig & {
  protocol: Extract<PortProtocol, { type: T }>;
};

function duplicates<T>(items: readonly T[], key: (item: T) => string): number[] {
  const seen = new Set<string>();
  return items.flatMap((item, index) => {
    const k = key(item);
    if (seen.has(k)) return [index];
    seen.add(k);
    return [];
  });
}

type ProtocolType = z.output<typeof PortProtocolSchema>['type'];
type DriverType = z.output<typeof DriverConfigSchema>['type'];

/** A sensor naming a port must name one that speaks a protocol of its driver. */
function checkPorts(config: GatewayConfigShape, ctx: z.RefinementCtx): void {
  const ports = new Map(config.serialPorts.map((port) => [port.id, port]));
  config.sensors.forEach((sensor, index) => {
    const module = moduleOf(sensor.driver.type);
    const accepted = protocolTypes(module.portProtocols);
    if (accepted.length === 0 || !('port' in sensor.driver) || sensor.driver.port === undefined) return;
    const path = ['sensors', index, 'driver', 'port'];
    const port = ports.get(sensor.driver.port);
    if (port === undefined) {
      const known = [...ports.keys()].join(', ') || 'none';
      ctx.addIssue({ code: 'custom', path, message: `expected a serialPorts id (${known})` });
    } else if (!accepted.includes(port.protocol.type)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `port "${port.id}" speaks ${port.protocol.type}; a ${sensor.driver.type} sensor needs a port with protocol ${accepted.join(' or ')}`,
      });
    }
  });
}

function moduleOf(type: DriverType): CatalogueEntry {
  return DRIVER_CATALOGUE.find((module) => protocolTypes([module.config]).includes(type)) as CatalogueEntry;
}

/** Each driver's own cross-checks, given its sensors and the ports and files of its protocols. */
function checkDrivers(config: GatewayConfigShape, ctx: z.RefinementCtx): void {
  for (const module of DRIVER_CATALOGUE as readonly CatalogueEntry[]) {
    if (module.check === undefined) continue;
    const [type] = protocolTypes([module.config]);
    const ports = protocolTypes(module.portProtocols) as ProtocolType[];
    const files = protocolTypes(module.fileProtocols);
    const view: CheckView<unknown, unknown, unknown> = {
      sensors: config.sensors.flatMap((sensor, index) =>
        sensor.driver.type === type ? [{ index, sensor }] : [],
      ),
      allSensors: config.sensors,
      ports: new Map(
        config.serialPorts
          .filter((port) => ports.includes(port.protocol.type))
          .map((port) => [port.id, port]),
      ),
      files: new Map(
        config.files.filter((file) => files.includes(file.protocol.type)).map((file) => [file.id, file]),
      ),
    };
    module.check(view, ctx);
  }
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
  for (const index of duplicates(config.files, (f) => f.id)) {
    ctx.addIssue({ code: 'custom', path: ['files', index, 'id'], message: 'expected a unique file id' });
  }
  checkPorts(config, ctx);
  checkDrivers(config, ctx);
  checkClockSource(config, ctx);
  checkMetaDates(config, ctx, Date.now());
}
