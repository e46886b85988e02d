// The serial-line driver's public contract: the line formats an instrument sends and how a sensor
// names its channel. Emulators import this, never the driver's other files.
export {
  type CsvLineFormat,
  channelOf,
  isLineFormat,
  type KeyValueLineFormat,
  type LineFormat,
  type RegexLineFormat,
  type SerialLineDriverConfig,
} from './config.js';
