import { z } from 'zod';
import { SlugSchema } from '../../../protocol/index.js';

/**
 * A serial port with a board running StandardFirmata 2.x (an Arduino) behind it. StandardFirmata
 * talks at 57600 baud: set the port's `baudRate` to match.
 */
export const FirmataProtocolSchema = z
  .strictObject({
    type: z.literal('firmata'),
    /** How often the board reports analog inputs and continuous I2C reads (Firmata SAMPLING_INTERVAL). */
    samplingIntervalMs: z.number().int().min(10).max(65_535).default(100),
    /**
     * An Arduino resets when its port opens and announces itself once booted; a board that said
     * nothing after this long is asked for its version.
     */
    bootDelayMs: z.number().int().min(0).max(10_000).default(2000),
    /**
     * How long the board may stay quiet: after the boot delay, before it has answered the handshake;
     * while running, between two reports. Then it counts as silent and the port is reopened.
     */
    replyTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
  })
  .refine((protocol) => protocol.samplingIntervalMs < protocol.replyTimeoutMs, {
    message: 'must be below replyTimeoutMs: a board reporting this rarely would count as silent',
    path: ['samplingIntervalMs'],
  });

/** Analog input pins as Arduino names them: A0 to A15. */
export const AnalogPinSchema = z
  .string()
  .regex(/^A(1[0-5]|[0-9])$/, 'must be an analog pin name "A0" to "A15"');

/** A 7-bit I2C address, written 0x76 in YAML or 118. */
const I2cAddressSchema = z.number().int().min(0x08).max(0x77);

export const FirmataAnalogSensorSchema = z.strictObject({
  type: z.literal('firmata'),
  /** Id of an entry in `serialPorts` with protocol firmata. */
  port: SlugSchema,
  kind: z.literal('analog'),
  pin: AnalogPinSchema,
  /**
   * The ADC's reference voltage: with it the sensor reports volts (counts / full scale * aref),
   * without it raw counts (0-1023 on a 10-bit ADC); calibration then makes either physical.
   */
  aref: z.number().positive().max(50).optional(),
});

export const BME280_FIELDS = ['temperature', 'humidity', 'pressure'] as const;
export type Bme280Field = (typeof BME280_FIELDS)[number];

/** One value of a Bosch BME280 on the board's I2C bus: Cel, % (relative humidity) or hPa. */
export const FirmataBme280SensorSchema = z.strictObject({
  type: z.literal('firmata'),
  port: SlugSchema,
  kind: z.literal('bme280'),
  /** 0x76 (SDO to ground, most breakout boards) or 0x77 (SDO high, Adafruit). */
  address: I2cAddressSchema.default(0x76),
  field: z.enum(BME280_FIELDS),
});

export const FirmataDriverConfigSchema = z.discriminatedUnion('kind', [
  FirmataAnalogSensorSchema,
  FirmataBme280SensorSchema,
]);

export type FirmataProtocol = z.output<typeof FirmataProtocolSchema>;
export type FirmataDriverConfig = z.output<typeof FirmataDriverConfigSchema>;
export type FirmataAnalogSensor = z.output<typeof FirmataAnalogSensorSchema>;
export type FirmataBme280Sensor = z.output<typeof FirmataBme280SensorSchema>;

/** The analog channel number of a pin name: "A3" -> 3. */
export function analogChannel(pin: string): number {
  return Number(pin.slice(1));
}
