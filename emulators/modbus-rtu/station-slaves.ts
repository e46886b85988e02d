import type { PortOf } from '../../firmware-bridge/index.js';
import { type DeviceEmulator, type PortEmulation, sensorsOfType } from '../device-emulation.js';
import { ModbusRtuSlaveEmulator } from './modbus-rtu-slave.js';
import type { EmulatedUnit } from './register-map.js';

/** Slaves on an emulated RS-485 bus, one per unit id of the sensors, each register a sensor. */
export function modbusSlaves(emulation: PortEmulation<PortOf<'modbus-rtu'>>): DeviceEmulator {
  const sensors = sensorsOfType(emulation.sensors, 'modbus-rtu');
  const byChannel = new Map(sensors.map((sensor) => [sensor.id, sensor.driver]));
  const units = new Map<number, EmulatedUnit['registers'][number][]>();
  for (const { id, driver } of sensors) {
    const { function: fn, address, dataType, wordOrder } = driver;
    const register = {
      function: fn,
      address,
      dataType,
      channel: id,
      ...(wordOrder === undefined ? {} : { wordOrder }),
    };
    units.set(driver.unitId, [...(units.get(driver.unitId) ?? []), register]);
  }
  return new ModbusRtuSlaveEmulator({
    path: emulation.path,
    baudRate: emulation.port.baudRate,
    parity: emulation.port.parity,
    units: [...units].map(([unitId, registers]) => ({ unitId, registers })),
    valueOf: (channel, timeMs) => {
      const driver = byChannel.get(channel);
      // The register holds counts; the driver's scale and offset turn them into the device's unit.
      return driver === undefined ? 0 : (emulation.values(channel, timeMs) - driver.offset) / driver.scale;
    },
  });
}
