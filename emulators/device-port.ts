import { SerialPort } from 'serialport';

interface DevicePortOptions {
  path: string;
  baudRate: number;
  parity?: 'none' | 'even' | 'odd';
}

/** The instrument's end of a virtual cable, opened: every emulator talks through one. */
export async function openDevicePort(options: DevicePortOptions): Promise<SerialPort> {
  const port = new SerialPort({ ...options, autoOpen: false });
  // A real instrument's UART sends into the cable whether or not anyone listens; a write that
  // fails because the far end or this port just closed (EBADF, EIO) is the same bytes lost on the
  // wire, not a fault of the emulated device. Without a listener it would crash the process.
  port.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  return port;
}

/** Closes it if it is open; a port already gone (the cable's other end stopped) is fine. */
export async function closeDevicePort(port: SerialPort | undefined): Promise<void> {
  if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
}
