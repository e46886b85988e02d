// The toa5 driver's public contract: a logger's port and the table files LoggerNet writes.
export type { FileSource, Toa5DriverConfig, Toa5FileProtocol, Toa5Protocol } from './config.js';
export type { Toa5Header } from './toa5-parser.js';
