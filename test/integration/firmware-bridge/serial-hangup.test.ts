import { afterEach, describe, expect, it } from 'vitest';
import { serialBinding } from '../../../firmware-bridge/drivers/serial/hangup-aware-binding.js';
import { startPtyPair } from '../../harness/socat.js';

describe.runIf(process.platform === 'linux')('serial binding on a tty that hangs up', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  it('rejects a read of the hung-up tty as a disconnect instead of reading again for ever', async () => {
    const pty = await startPtyPair();
    cleanups.push(() => pty.stop());
    const port = await serialBinding().open({ path: pty.a, baudRate: 9600 });
    cleanups.push(() => (port.isOpen ? port.close() : Promise.resolve()));
    // The device goes away: the tty is hung up, and every read gives end of file at once.
    await pty.stop();
    await expect(port.read(Buffer.alloc(64), 0, 64)).rejects.toMatchObject({ disconnect: true });
  });
});
