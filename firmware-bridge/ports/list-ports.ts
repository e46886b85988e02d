import { realpath } from 'node:fs/promises';
import { basename } from 'node:path';
import { autoDetect, type PortInfo as SerialPortListing } from '@serialport/bindings-cpp';
import type { PortInfo } from './port-info.js';
import { listSysfsPorts } from './sysfs-ports.js';

async function fromSerialport(port: SerialPortListing, byId: Map<string, string>): Promise<PortInfo> {
  const info: PortInfo = { path: port.path };
  const link = byId.get(basename(await realpath(port.path).catch(() => port.path)));
  if (link !== undefined) info.byId = link;
  if (port.vendorId) info.vendorId = port.vendorId;
  if (port.productId) info.productId = port.productId;
  if (port.serialNumber) info.serialNumber = port.serialNumber;
  if (port.manufacturer) info.manufacturer = port.manufacturer;
  return info;
}

/**
 * The serial ports of this machine. The serial binding asks udev; where there is no udevadm the
 * kernel's sysfs answers instead, with the same fields. The binding, not the `serialport` package,
 * which would load its ten stream parsers into every gateway that imports this module.
 */
export async function listPorts(): Promise<PortInfo[]> {
  const sysfs = await listSysfsPorts();
  let listed: SerialPortListing[];
  try {
    listed = await autoDetect().list();
  } catch {
    return sysfs;
  }
  const byId = new Map(
    sysfs.flatMap((port) => (port.byId === undefined ? [] : [[basename(port.path), port.byId] as const])),
  );
  return Promise.all(listed.map((port) => fromSerialport(port, byId)));
}
