import { EventEmitter } from 'node:events';
import type { SerialPort } from 'serialport';
import type { FirmataTransportLike } from './johnny-five.js';

/**
 * The port SerialConnection opened, as firmata-io sees it. firmata-io and Johnny-Five hang
 * listeners on their transport that they never take off; giving them this stand-in instead of the
 * port itself lets a session detach cleanly, so a reopened port starts with no listeners of the
 * previous board. The port's own errors and closing stay with SerialConnection.
 */
export class FirmataTransport extends EventEmitter implements FirmataTransportLike {
  private port: SerialPort | undefined;
  private readonly onData = (chunk: Buffer) => {
    this.tap(chunk);
    this.emit('data', chunk);
  };
  private readonly onClose = () => this.emit('close');

  /** `tap` sees every chunk before firmata-io does. */
  constructor(
    port: SerialPort,
    private readonly tap: (chunk: Buffer) => void,
  ) {
    super();
    this.port = port;
    port.on('data', this.onData);
    port.on('close', this.onClose);
  }

  write(data: Buffer, callback?: (error?: Error | null) => void): boolean {
    const port = this.port;
    if (port === undefined || !port.isOpen) {
      callback?.(new Error('port closed'));
      return false;
    }
    return port.write(data, (error) => callback?.(error));
  }

  detach(): void {
    this.port?.off('data', this.onData);
    this.port?.off('close', this.onClose);
    this.port = undefined;
    this.removeAllListeners();
  }
}
