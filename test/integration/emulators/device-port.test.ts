import { afterEach, describe, expect, it } from 'vitest';
import { closeDevicePort, openDevicePort } from '../../../emulators/device-port.js';
import { type PtyPair, startPtyPair } from '../../harness/socat.js';

describe('an emulated device port', () => {
  let pty: PtyPair | undefined;
  afterEach(async () => {
    await pty?.stop();
    pty = undefined;
  });

  it('loses the bytes of a write its own closing cut off, as a UART would, without crashing the process', async () => {
    pty = await startPtyPair();
    const port = await openDevicePort({ path: pty.b, baudRate: 9600 });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      // Nobody reads the other end, so these writes are still queued in the stream when it closes.
      const written = new Promise<Error | null | undefined>((resolve) =>
        port.write(Buffer.alloc(256 * 1024, 0x55), (error) => resolve(error)),
      );
      for (let i = 0; i < 20; i += 1) port.write(Buffer.alloc(1024, 0x55));
      await closeDevicePort(port);
      await written;
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect(port.isOpen).toBe(false);
  });
});
