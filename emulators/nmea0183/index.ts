export {
  EMULATED_SENTENCES,
  type EmulatedSentence,
  NMEA_EMULATOR_CHANNELS,
  type NmeaEmulatorChannel,
  type NmeaFault,
  type ValueOf,
} from './burst.js';
export { NmeaTalkerEmulator, type NmeaTalkerOptions } from './nmea-talker.js';
