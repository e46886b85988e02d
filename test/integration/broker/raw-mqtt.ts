import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';

// MQTT 3.1.1 packets built by hand, for what MQTT.js and mosquitto's clients refuse to send
// (a zero-length client id with clean session off) or cannot do (go silent, stop reading).

export interface RawConnect {
  clientId: string;
  clean: boolean;
  username?: string;
  password?: string;
  keepalive?: number;
  will?: { topic: string; payload: string; qos?: 0 | 1; retain?: boolean };
  protocolVersion?: 3 | 4;
}

export interface RawPacket {
  type: number;
  /** The low nibble of the first byte: DUP, QoS and RETAIN for a PUBLISH. */
  flags: number;
  body: Buffer;
}

/** A PUBLISH as it arrived. */
export interface RawPublish {
  topic: string;
  payload: string;
  qos: number;
  dup: boolean;
  retain: boolean;
  messageId: number | undefined;
}

export type Qos = 0 | 1 | 2;

/** Packet types (MQTT 3.1.1 table 2.1) a test waits for. */
export const TYPE = {
  connack: 2,
  publish: 3,
  puback: 4,
  pubrec: 5,
  pubrel: 6,
  pubcomp: 7,
  suback: 9,
  unsuback: 11,
};

function remainingLength(length: number): Buffer {
  const bytes: number[] = [];
  let rest = length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
}

function utf8(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(body.length);
  return Buffer.concat([length, body]);
}

function packet(firstByte: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([firstByte]), remainingLength(body.length), body]);
}

export function connectPacket(options: RawConnect): Buffer {
  const { will, username, password } = options;
  let flags = options.clean ? 0x02 : 0;
  if (will) flags |= 0x04 | ((will.qos ?? 0) << 3) | (will.retain ? 0x20 : 0);
  if (username !== undefined) flags |= 0x80;
  if (password !== undefined) flags |= 0x40;
  const keepalive = Buffer.alloc(2);
  keepalive.writeUInt16BE(options.keepalive ?? 0);
  const v3 = options.protocolVersion === 3;
  const header = Buffer.concat([utf8(v3 ? 'MQIsdp' : 'MQTT'), Buffer.from([v3 ? 3 : 4, flags]), keepalive]);
  const payload = [utf8(options.clientId)];
  if (will) payload.push(utf8(will.topic), utf8(will.payload));
  if (username !== undefined) payload.push(utf8(username));
  if (password !== undefined) payload.push(utf8(password));
  return packet(0x10, Buffer.concat([header, ...payload]));
}

function packetId(messageId: number): Buffer {
  const id = Buffer.alloc(2);
  id.writeUInt16BE(messageId);
  return id;
}

export function subscribePacket(messageId: number, filter: string, qos: Qos): Buffer {
  return subscribeAllPacket(messageId, [[filter, qos]]);
}

/** One SUBSCRIBE with several filters, each with its requested QoS. */
export function subscribeAllPacket(messageId: number, filters: readonly (readonly [string, Qos])[]): Buffer {
  const payload = filters.flatMap(([filter, qos]) => [utf8(filter), Buffer.from([qos])]);
  return packet(0x82, Buffer.concat([packetId(messageId), ...payload]));
}

export function unsubscribePacket(messageId: number, filters: readonly string[]): Buffer {
  return packet(0xa2, Buffer.concat([packetId(messageId), ...filters.map(utf8)]));
}

export function publishPacket(
  topic: string,
  payload: string,
  qos: Qos,
  messageId = 1,
  retain = false,
): Buffer {
  const id = qos > 0 ? packetId(messageId) : Buffer.alloc(0);
  return packet(0x30 | (qos << 1) | (retain ? 1 : 0), Buffer.concat([utf8(topic), id, Buffer.from(payload)]));
}

/** PUBACK, PUBREC, PUBREL (whose flags MQTT fixes at 0b0010) or PUBCOMP for a packet id. */
export function ackPacket(type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp', messageId: number): Buffer {
  const firstByte = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 }[type];
  return packet(firstByte, packetId(messageId));
}

export const DISCONNECT = Buffer.from([0xe0, 0x00]);

export function parsePublish(received: RawPacket): RawPublish {
  const qos = (received.flags >> 1) & 0x03;
  const topicLength = received.body.readUInt16BE(0);
  const topic = received.body.subarray(2, 2 + topicLength).toString('utf8');
  const idLength = qos > 0 ? 2 : 0;
  const messageId = qos > 0 ? received.body.readUInt16BE(2 + topicLength) : undefined;
  return {
    topic,
    payload: received.body.subarray(2 + topicLength + idLength).toString('utf8'),
    qos,
    dup: (received.flags & 0x08) !== 0,
    retain: (received.flags & 0x01) !== 0,
    messageId,
  };
}

/** Splits a byte stream into MQTT packets (type = the high nibble of the first byte). */
export class PacketReader {
  #buffer = Buffer.alloc(0);

  feed(chunk: Buffer): RawPacket[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const packets: RawPacket[] = [];
    for (;;) {
      let length = 0;
      let multiplier = 1;
      let offset = 1;
      let complete = false;
      while (offset < this.#buffer.length && offset <= 4) {
        const byte = this.#buffer[offset] ?? 0;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        offset += 1;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || this.#buffer.length < offset + length) return packets;
      packets.push({
        type: (this.#buffer[0] ?? 0) >> 4,
        flags: (this.#buffer[0] ?? 0) & 0x0f,
        body: this.#buffer.subarray(offset, offset + length),
      });
      this.#buffer = this.#buffer.subarray(offset + length);
    }
  }
}

/** A TCP connection speaking raw MQTT: send packets, await the next one of a type, await the close. */
export class RawMqttSocket {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  readonly #reader = new PacketReader();
  readonly #received: RawPacket[] = [];
  readonly #waiters: { type: number; resolve: (packet: RawPacket) => void }[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    this.closed = once(socket, 'close').then(() => undefined);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const received of this.#reader.feed(chunk)) this.#deliver(received);
    });
  }

  static async open(port: number): Promise<RawMqttSocket> {
    const socket = connectTcp(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawMqttSocket(socket);
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next packet of this type (2 CONNACK, 9 SUBACK, 3 PUBLISH), including one already received. */
  next(type: number): Promise<RawPacket> {
    const index = this.#received.findIndex((received) => received.type === type);
    if (index >= 0) return Promise.resolve(this.#received.splice(index, 1)[0] as RawPacket);
    return new Promise((resolve) => this.#waiters.push({ type, resolve }));
  }

  /** CONNECT, then the CONNACK's return code. */
  async connect(options: RawConnect): Promise<number> {
    return (await this.connectForAck(options)).returnCode;
  }

  /** CONNECT, then the CONNACK's return code and session-present flag. */
  async connectForAck(options: RawConnect): Promise<{ returnCode: number; sessionPresent: boolean }> {
    this.send(connectPacket(options));
    const connack = await this.next(TYPE.connack);
    return { returnCode: connack.body[1] ?? -1, sessionPresent: ((connack.body[0] ?? 0) & 0x01) === 1 };
  }

  /** SUBSCRIBE with these filters, then the SUBACK's return codes in their order. */
  async subscribe(messageId: number, filters: readonly (readonly [string, Qos])[]): Promise<number[]> {
    this.send(subscribeAllPacket(messageId, filters));
    const suback = await this.next(TYPE.suback);
    return [...suback.body.subarray(2)];
  }

  /** The next PUBLISH, parsed. */
  async nextPublish(): Promise<RawPublish> {
    return parsePublish(await this.next(TYPE.publish));
  }

  destroy(): void {
    this.socket.destroy();
  }

  #deliver(received: RawPacket): void {
    const index = this.#waiters.findIndex((waiter) => waiter.type === received.type);
    if (index < 0) {
      this.#received.push(received);
      return;
    }
    const [waiter] = this.#waiters.splice(index, 1);
    waiter?.resolve(received);
  }
}
