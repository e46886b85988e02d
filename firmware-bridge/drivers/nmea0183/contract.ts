// The nmea0183 driver's public contract: what a sensor selects from a talker's sentences.
export type { NmeaDriverConfig, NmeaPortProtocol } from './config.js';
