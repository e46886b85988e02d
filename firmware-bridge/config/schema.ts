import { z } from 'zod';
import {
  GatewayIdSchema,
  MAX_READINGS_PER_BATCH,
  QuantitySchema,
  SensorIdSchema,
  StationIdSchema,
  UnitSchema,
} from '../../protocol/index.js';
import { checkDerivedSensors } from '../derived/check-derived.js';
import { DerivedDriverConfigSchema } from '../derived/config.js';
import { checkDuplicateSelections } from '../drivers/duplicate-selections.js';
import {
  FIRMATA_PROTOCOL_TYPES,
  FirmataDriverConfigSchema,
  FirmataProtocolSchema,
} from '../drivers/firmata/config.js';
import {
  MODBUS_RTU_PROTOCOL_TYPES,
  ModbusRtuDriverConfigSchema,
  ModbusRtuProtocolSchema,
} from '../drivers/modbus-rtu/config.js';
import {
  NMEA_PROTOCOL_TYPES,
  NmeaDriverConfigSchema,
  NmeaPortProtocolSchema,
} from '../drivers/nmea0183/config.js';
import { checkNmeaSelections } from '../drivers/nmea0183/nmea-selections.js';
import {
  SDI12_PROTOCOL_TYPES,
  Sdi12DriverConfigSchema,
  Sdi12ProtocolSchema,
} from '../drivers/sdi12/config.js';
import { checkSdi12Selections } from '../drivers/sdi12/sdi12-selections.js';
import { SerialTransportShape } from '../drivers/serial/serial-port-config.js';
import {
  LINE_PROTOCOL_TYPES,
  LINE_PROTOCOLS,
  SerialLineDriverConfigSchema,
} from '../drivers/serial-line/config.js';
import { checkLineChannels } from '../drivers/serial-line/line-channels.js';
import { SimulatorDriverConfigSchema } from '../drivers/simulator/config.js';
import {
  FileSourceSchema,
  TOA5_PROTOCOL_TYPES,
  Toa5DriverConfigSchema,
  Toa5ProtocolSchema,
} from '../drivers/toa5/config.js';
import { checkToa5Sources } from '../drivers/toa5/toa5-sources.js';
import { checkMetaDates, GatewayMetaConfigSchema, MetadataConfigSchema } from '../meta/meta-config.js';
import { QcConfigSchema, ValueRangeSchema } from '../qc/qc-config.js';
import { checkClockSource } from '../time/check-clock-source.js';
import { ClockConfigSchema } from '../time/clock-config.js';

const MIB = 1024 * 1024;

/** What is spoken over a serial port; every driver that reads ports adds its protocols here. */
export const PortProtocolSchema = z.discriminatedUnion('type', [
  ...LINE_PROTOCOLS,
  NmeaPortProtocolSchema,
  Sdi12ProtocolSchema,
  Toa5ProtocolSchema,
  FirmataProtocolSchema,
  ModbusRtuProtocolSchema,
]);

export const SerialPortConfigSchema = z.strictObject({
  ...SerialTransportShape,
  protocol: PortProtocolSchema,
});

export const DriverConfigSchema = z.discriminatedUnion('type', [
  SerialLineDriverConfigSchema,
  SimulatorDriverConfigSchema,
  NmeaDriverConfigSchema,
  Sdi12DriverConfigSchema,
  Toa5DriverConfigSchema,
  FirmataDriverConfigSchema,
  ModbusRtuDriverConfigSchema,
  DerivedDriverConfigSchema,
]);

type DriverType = z.output<typeof DriverConfigSchema>['type'];
type PortProtocolType = z.output<typeof PortProtocolSchema>['type'];

/** Which port protocols each port-reading driver understands; drivers absent here read no port. */
const DRIVER_PORT_PROTOCOLS: { [T in DriverType]?: readonly PortProtocolType[] } = {
  'serial-line': LINE_PROTOCOL_TYPES,
  nmea0183: NMEA_PROTOCOL_TYPES,
  sdi12: SDI12_PROTOCOL_TYPES,
  toa5: TOA5_PROTOCOL_TYPES,
  firmata: FIRMATA_PROTOCOL_TYPES,
  'modbus-rtu': MODBUS_RTU_PROTOCOL_TYPES,
};

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
  files: z.array(FileSourceSchema).default([]),
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
export type PortOf<T extends PortProtocolType> = SerialPortConfig & {
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

function checkPorts(config: GatewayConfigShape, ctx: z.RefinementCtx): void {
  const ports = new Map(config.serialPorts.map((port) => [port.id, port]));
  config.sensors.forEach((sensor, index) => {
    const accepted = DRIVER_PORT_PROTOCOLS[sensor.driver.type];
    if (accepted === undefined || !('port' in sensor.driver) || sensor.driver.port === undefined) return;
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
  checkPorts(config, ctx);
  checkDerivedSensors(config, ctx);
  checkLineChannels(config, ctx);
  checkToa5Sources(config, ctx);
  checkNmeaSelections(config, ctx);
  checkSdi12Selections(config, ctx);
  checkDuplicateSelections(config, ctx);
  checkClockSource(config, ctx);
  checkMetaDates(config, ctx, Date.now());
}
