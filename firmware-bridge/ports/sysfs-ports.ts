import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PortInfo } from './port-info.js';

export interface SysfsRoots {
  sys: string;
  dev: string;
}

const SERIAL_NAME = /^tty(USB|ACM|AMA|S|XRUSB|WCH|MFD|O)\d+$/;

async function readText(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The USB device a tty hangs off: the nearest ancestor of its device directory with idVendor. */
async function usbDevice(deviceDir: string, sysRoot: string): Promise<string | undefined> {
  for (let dir = deviceDir; dir.startsWith(sysRoot) && dir !== sysRoot; dir = dirname(dir)) {
    if (await exists(join(dir, 'idVendor'))) return dir;
  }
  return undefined;
}

async function byIdLinks(devRoot: string): Promise<Map<string, string>> {
  const dir = join(devRoot, 'serial', 'by-id');
  const names = await readdir(dir).catch(() => [] as string[]);
  const links = new Map<string, string>();
  for (const name of names) {
    const target = await realpath(join(dir, name)).catch(() => undefined);
    if (target !== undefined) links.set(basename(target), join(dir, name));
  }
  return links;
}

async function describe(
  name: string,
  roots: SysfsRoots,
  links: Map<string, string>,
): Promise<PortInfo | undefined> {
  const ttyDir = join(roots.sys, 'class', 'tty', name);
  const deviceDir = await realpath(join(ttyDir, 'device')).catch(() => undefined);
  if (deviceDir === undefined) return undefined;
  // The kernel lists every 8250 UART slot; a slot without hardware has type 0.
  if (name.startsWith('ttyS') && (await readText(join(ttyDir, 'type'))) === '0') return undefined;
  const info: PortInfo = { path: join(roots.dev, name) };
  const byId = links.get(name);
  if (byId !== undefined) info.byId = byId;
  const usb = await usbDevice(deviceDir, roots.sys);
  if (usb === undefined) return info;
  const fields = {
    vendorId: 'idVendor',
    productId: 'idProduct',
    serialNumber: 'serial',
    manufacturer: 'manufacturer',
    product: 'product',
  } as const;
  for (const [key, file] of Object.entries(fields) as [keyof typeof fields, string][]) {
    const value = await readText(join(usb, file));
    if (value !== undefined) info[key] = value;
  }
  return info;
}

/**
 * Serial ports as the kernel shows them in sysfs, for machines without udevadm (containers, minimal
 * images), where serialport's own listing cannot run.
 */
export async function listSysfsPorts(roots: SysfsRoots = { sys: '/sys', dev: '/dev' }): Promise<PortInfo[]> {
  const names = (await readdir(join(roots.sys, 'class', 'tty')).catch(() => [] as string[])).filter((name) =>
    SERIAL_NAME.test(name),
  );
  const links = await byIdLinks(roots.dev);
  const ports = await Promise.all(names.map((name) => describe(name, roots, links)));
  return ports
    .filter((port): port is PortInfo => port !== undefined)
    .sort((a, b) => a.path.localeCompare(b.path));
}
