import type { PortOf } from '../../firmware-bridge/index.js';
import type { DeviceEmulator, FileEmulation, PortEmulation } from '../device-emulation.js';
import { firmataBoard } from '../firmata/station-board.js';
import { modbusSlaves } from '../modbus-rtu/station-slaves.js';
import { nmeaTalker } from '../nmea0183/station-talker.js';
import { sdi12Adapter } from '../sdi12/station-adapter.js';
import { lineDevice } from '../serial-line/line-station-device.js';
import { toa5File, toa5Logger } from '../toa5/station-logger.js';

type ProtocolType = PortEmulation['port']['protocol']['type'];

/**
 * The instrument emulated at the far end of each port protocol, one line a driver. Typed over every
 * protocol the gateway's config accepts: a driver added to the catalogue without its emulator fails
 * to compile here.
 */
export const PORT_EMULATORS: {
  [T in ProtocolType]: (emulation: PortEmulation<PortOf<T>>) => DeviceEmulator;
} = {
  csv: lineDevice,
  kv: lineDevice,
  value: lineDevice,
  regex: lineDevice,
  nmea0183: nmeaTalker,
  sdi12: sdi12Adapter,
  toa5: toa5Logger,
  firmata: firmataBoard,
  'modbus-rtu': modbusSlaves,
};

type FileProtocolType = FileEmulation['file']['protocol']['type'];

/** What writes each kind of followed file. */
export const FILE_EMULATORS: { [T in FileProtocolType]: (emulation: FileEmulation) => DeviceEmulator } = {
  toa5: toa5File,
};

/** The emulator for a port, looked up by its protocol. */
export function portEmulator(emulation: PortEmulation): DeviceEmulator {
  const build = PORT_EMULATORS[emulation.port.protocol.type] as (emulation: PortEmulation) => DeviceEmulator;
  return build(emulation);
}
