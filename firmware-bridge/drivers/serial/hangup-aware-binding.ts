import { read } from 'node:fs';
import { promisify } from 'node:util';
import {
  type AutoDetectTypes,
  autoDetect,
  type LinuxBindingInterface,
  type LinuxPortBinding,
} from '@serialport/bindings-cpp';

const readAsync = promisify(read);

/** Errors that mean "nothing to read yet": wait until the port is readable and read again. */
const TRY_AGAIN = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

function portError(message: string, flag: 'canceled' | 'disconnect'): Error {
  return Object.assign(new Error(message), { [flag]: true });
}

function readable(port: LinuxPortBinding): Promise<void> {
  return new Promise((resolve, reject) => {
    port.poller.once('readable', (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * One read, as bindings-cpp's own, except for a read of 0 bytes. A tty whose device went away (a USB
 * adapter pulled, the far end of a PTY closed) is hung up, and a hung-up tty reads 0 bytes at once,
 * forever: bindings-cpp reads again at once (serialport/bindings-cpp#162), so the port spins and
 * never reports the loss. Here it is a disconnect, which closes the port.
 */
async function readOrHangUp(
  port: LinuxPortBinding,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    if (!port.isOpen || port.fd === null) throw portError('Port is not open', 'canceled');
    let bytesRead: number;
    try {
      ({ bytesRead } = await readAsync(port.fd, buffer, offset, length, null));
    } catch (error) {
      if (!TRY_AGAIN.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      if (!port.isOpen) throw portError('Port is not open', 'canceled');
      await readable(port);
      continue;
    }
    if (bytesRead === 0) throw portError('the device hung up (read gave end of file)', 'disconnect');
    return { buffer, bytesRead };
  }
}

/** The Linux binding with hang-up-aware reads. */
const linuxBinding = (base: LinuxBindingInterface): LinuxBindingInterface => ({
  ...base,
  async open(options) {
    const port = await base.open(options);
    port.read = (buffer, offset, length) => readOrHangUp(port, buffer, offset, length);
    return port;
  },
});

/** serialport's binding for this platform; on Linux (the gateways') one that notices a hang-up. */
export function serialBinding(): AutoDetectTypes {
  const detected = autoDetect();
  return process.platform === 'linux' ? linuxBinding(detected as LinuxBindingInterface) : detected;
}
