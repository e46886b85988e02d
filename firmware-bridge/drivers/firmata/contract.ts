// The firmata driver's public contract: the sensors a board carries and the Firmata frames it speaks.
export type { Bme280Field, FirmataDriverConfig, FirmataProtocol } from './config.js';
export {
  decodeTwo7BitBytes,
  encodeTwo7BitBytes,
  FIRMATA,
  type FirmataFrame,
  FirmataFrameReader,
  fromTwo7Bit,
  SYSEX,
} from './firmata-frames.js';
