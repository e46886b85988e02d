import { describe, expect, it } from 'vitest';
import { PacketSizeScanner, publishPacketBytes } from '../../../broker/limits/packet-size.js';

/** A PUBLISH-like packet: type byte, remaining length as MQTT variable-length integer, body. */
function packet(bodyBytes: number): Buffer {
  const length: number[] = [];
  let rest = bodyBytes;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    length.push(byte);
  } while (rest > 0);
  return Buffer.concat([Buffer.from([0x30, ...length]), Buffer.alloc(bodyBytes, 1)]);
}

describe('PacketSizeScanner', () => {
  it('passes packets within the limit, however the stream is cut', () => {
    const stream = Buffer.concat([packet(0), packet(10), packet(200), packet(20_000)]);
    for (const cut of [1, 2, 3, 7, 1000, stream.length]) {
      const scanner = new PacketSizeScanner(20_004);
      for (let i = 0; i < stream.length; i += cut) {
        expect(scanner.feed(stream.subarray(i, i + cut))).toBeUndefined();
      }
    }
  });

  it('reports an oversized packet from its header, before the body arrives', () => {
    const scanner = new PacketSizeScanner(1000);
    const big = packet(5000);
    expect(scanner.feed(packet(10))).toBeUndefined();
    expect(scanner.feed(big.subarray(0, 2))).toBeUndefined();
    expect(scanner.feed(big.subarray(2, 3))).toBe(5003);
    expect(scanner.feed(big.subarray(3))).toBeUndefined();
  });

  it('counts the header in the size', () => {
    expect(new PacketSizeScanner(12).feed(packet(10))).toBeUndefined();
    expect(new PacketSizeScanner(11).feed(packet(10))).toBe(12);
  });

  it('leaves a malformed length (five bytes) to the MQTT parser', () => {
    const scanner = new PacketSizeScanner(10);
    expect(scanner.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]))).toBeUndefined();
  });
});

describe('publishPacketBytes', () => {
  it('bounds the wire size of a publish', () => {
    expect(publishPacketBytes('a/b', Buffer.alloc(100), 1)).toBe(5 + 2 + 3 + 2 + 100);
    expect(publishPacketBytes('a/b', 'hé', 0)).toBe(5 + 2 + 3 + 3);
  });
});
