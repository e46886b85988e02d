/** Stable codes for every error the gateway raises; log lines and health messages carry them. */
export type GatewayErrorCode =
  | 'CONFIG_UNREADABLE'
  | 'CONFIG_SYNTAX'
  | 'CONFIG_INVALID'
  | 'LINE_TOO_LONG'
  | 'LINE_FIELDS'
  | 'LINE_VALUE_NOT_NUMERIC'
  | 'LINE_TIME_INVALID'
  | 'LINE_UNKNOWN_CHANNEL'
  | 'LINE_CHECKSUM'
  | 'NMEA_FRAMING'
  | 'NMEA_CHECKSUM'
  | 'NMEA_TOO_LONG'
  | 'NMEA_FIELD_INVALID'
  | 'NMEA_FIELD_EMPTY'
  | 'NMEA_STATUS_INVALID'
  | 'NMEA_NO_FIX'
  | 'NMEA_SILENT'
  | 'SDI12_TIMEOUT'
  | 'SDI12_WRONG_ADDRESS'
  | 'SDI12_CRC'
  | 'SDI12_REPLY_INVALID'
  | 'SDI12_MISSING_VALUE'
  | 'TOA5_HEADER_INVALID'
  | 'TOA5_HEADER_MISSING'
  | 'TOA5_ROW_INVALID'
  | 'TOA5_COLUMN_MISSING'
  | 'TOA5_VALUE_MISSING'
  | 'TOA5_VALUE_INVALID'
  | 'TOA5_RECORD_GAP'
  | 'TOA5_LOGGER_RESET'
  | 'TOA5_FILE_UNREADABLE'
  | 'TOA5_STATE_INVALID'
  | 'TOA5_STATE_UNWRITABLE'
  | 'READING_INVALID'
  | 'FIRMATA_NO_REPLY'
  | 'FIRMATA_GARBAGE'
  | 'FIRMATA_STALE'
  | 'FIRMATA_VALUE_INVALID'
  | 'FIRMATA_PIN_INVALID'
  | 'FIRMATA_I2C_READ_FAILED'
  | 'FIRMATA_I2C_WRONG_CHIP'
  | 'MODBUS_TIMEOUT'
  | 'MODBUS_CRC'
  | 'MODBUS_REPLY_INVALID'
  | 'MODBUS_ILLEGAL_ADDRESS'
  | 'MODBUS_DEVICE_BUSY'
  | 'MODBUS_EXCEPTION'
  | 'MODBUS_VALUE_INVALID'
  | 'SERIAL_OPEN_FAILED'
  | 'SERIAL_CLOSED'
  | 'SERIAL_WRITE_FAILED'
  | 'OUTBOX_STATE_INVALID'
  | 'OUTBOX_BATCH_INVALID'
  | 'OUTBOX_CLOSED'
  | 'OUTBOX_WRITE_FAILED'
  | 'BACKFILL_MARKER_INVALID'
  | 'SENSOR_SILENT'
  | 'PAYLOAD_INVALID';

export interface GatewayErrorContext {
  file?: string;
  field?: string;
  gateway?: string;
  sensor?: string;
  port?: string;
}

export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly context: GatewayErrorContext = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'GatewayError';
  }
}

/**
 * An argument outside what a pure function accepts, which only a caller's bug passes: a RangeError,
 * so it reads as one, with a code like every other error of the gateway.
 */
export class GatewayRangeError extends RangeError {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayRangeError';
  }
}

/** A config file that cannot be used; the message names the file, the path inside it and what was expected. */
export class ConfigError extends GatewayError {
  constructor(
    code: 'CONFIG_UNREADABLE' | 'CONFIG_SYNTAX' | 'CONFIG_INVALID',
    message: string,
    readonly file: string,
    readonly issues: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(code, message, { file }, options);
    this.name = 'ConfigError';
  }
}

/**
 * A fault seen by a driver. `sensors` lists every sensor it concerns: one for a bad value on a known
 * channel, all sensors of a port when the port itself failed or the line could not be attributed.
 */
export class SensorError extends GatewayError {
  constructor(
    code: GatewayErrorCode,
    message: string,
    readonly sensors: readonly string[],
    context: GatewayErrorContext = {},
    options?: ErrorOptions,
  ) {
    super(code, message, context, options);
    this.name = 'SensorError';
  }
}
