import type { Duplex } from 'node:stream';
import { PacketSizeScanner } from './packet-size.js';

/**
 * Watches the bytes Aedes reads from a socket and calls onOversized once when a packet header
 * announces more than maxPacketBytes. mqtt-packet has no size limit of its own, and Aedes reads
 * in 'readable' mode, so this 'data' listener only sees what Aedes consumes and does not change
 * the flow.
 */
export function guardPacketSize(
  socket: Duplex,
  maxPacketBytes: number,
  onOversized: (bytes: number) => void,
): void {
  const scanner = new PacketSizeScanner(maxPacketBytes);
  const observe = (chunk: Buffer): void => {
    const bytes = scanner.feed(chunk);
    if (bytes === undefined) return;
    socket.off('data', observe);
    onOversized(bytes);
  };
  socket.on('data', observe);
}
