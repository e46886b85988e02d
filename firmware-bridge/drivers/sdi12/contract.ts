// The sdi12 driver's public contract: the bus's CRC, which a sensor appends to its replies.
export type { Sdi12DriverConfig, Sdi12Protocol } from './config.js';
export { withCrc } from './crc.js';
