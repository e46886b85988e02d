// What an instrument on the far end of a cable shares with the gateway's framing: emulators and
// tests build their lines with it. The rest of this folder is the gateway's own.
export { formatChecksum, nmeaChecksum } from './nmea-checksum.js';
