import type { PortOf } from '../../firmware-bridge/index.js';
import { type DeviceEmulator, type PortEmulation, sensorsOfType } from '../device-emulation.js';
import { Sdi12AdapterEmulator } from './sdi12-adapter-emulator.js';

/** The SDI-12 adapter of a port with its sensors behind it, one per address. */
export function sdi12Adapter(emulation: PortEmulation<PortOf<'sdi12'>>): DeviceEmulator {
  const sensors = sensorsOfType(emulation.sensors, 'sdi12');
  const byChannel = new Map(
    sensors.map((sensor) => [`${sensor.driver.address}:${sensor.driver.index}`, sensor.id]),
  );
  const counts = new Map<string, number>();
  for (const { driver } of sensors)
    counts.set(driver.address, Math.max(counts.get(driver.address) ?? 0, driver.index));
  return new Sdi12AdapterEmulator({
    path: emulation.path,
    baudRate: emulation.port.baudRate,
    sensors: [...counts].map(([address, values]) => ({
      address,
      values,
      measurementSeconds: 1,
      serviceRequestAfterMs: 150,
      decimals: 3,
    })),
    valueOf: (channel, timeMs) => emulation.values(byChannel.get(channel) ?? '', timeMs),
  });
}
