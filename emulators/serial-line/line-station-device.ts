import { channelOf, type LineFormat } from '../../firmware-bridge/drivers/serial-line/contract.js';
import type { PortOf } from '../../firmware-bridge/index.js';
import { type DeviceEmulator, type PortEmulation, scaled, sensorsOfType } from '../device-emulation.js';
import { LineDeviceEmulator } from './line-device.js';

/** The instrument at the end of a serial-line port: one line per reading, each sensor's channel in turn. */
export function lineDevice(emulation: PortEmulation<PortOf<LineFormat['type']>>): DeviceEmulator {
  const sensors = sensorsOfType(emulation.sensors, 'serial-line');
  const byChannel = new Map(sensors.map((sensor) => [channelOf(sensor), sensor.id]));
  return new LineDeviceEmulator({
    path: emulation.path,
    baudRate: emulation.port.baudRate,
    format: emulation.port.protocol,
    channels: sensors.map((sensor) => ({
      channel: channelOf(sensor),
      intervalMs: scaled(sensor.intervalMs, emulation.intervalScale),
    })),
    valueOf: (channel, timeMs) => emulation.values(byChannel.get(channel) ?? '', timeMs),
  });
}
