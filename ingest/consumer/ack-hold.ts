import type { Duplex } from 'node:stream';
import type { Packet } from 'mqtt';

/** After the spool refused a flush, how long until the held PUBACKs try again. */
const RETRY_MS = 200;

export interface AckHoldOptions {
  /** Makes what the handled messages appended durable (the spool's flush); throws when it cannot. */
  makeDurable(): void;
  onError(error: unknown): void;
}

/** What the hold needs of MQTT.js's client: its connection, and each packet it is about to write there. */
export interface AckingClient {
  readonly stream: Duplex;
  on(event: 'packetsend', listener: (packet: Packet) => void): unknown;
}

type Write = (...args: unknown[]) => boolean;

interface Hold {
  /** The connection's own write, which the PUBACKs take once their messages are durable. */
  write: Write;
  /** The arguments of each PUBACK write held back, in the order MQTT.js made them. */
  writes: unknown[][];
  /** A release is due at the end of the turn, or after a refused `makeDurable`. */
  held: boolean;
  /** `makeDurable` failed since the hold began. */
  failed: boolean;
  retry: NodeJS.Timeout | undefined;
}

/**
 * Holds the PUBACKs written to a connection in one event-loop turn and lets them leave together at
 * the end of the turn, right after `makeDurable`. MQTT.js handles the messages of one chunk from the
 * broker one after the other within a turn, and the spool writes the turn's appends in one write
 * (AppendBatch), which must reach the kernel before any PUBACK of theirs leaves; sent together,
 * the PUBACKs are one system call rather than one each.
 *
 * Only the PUBACKs are held, not the connection: MQTT.js announces each packet (`packetsend`) just
 * before it writes it, so the writes of a PUBACK that `acknowledge` sends are kept apart while
 * everything else (PINGREQ above all) goes out at once. While `makeDurable` throws (the disk refuses
 * the write, the spool is full) the PUBACKs stay held and it is tried again, and the connection
 * stays alive meanwhile: its keepalive pings are answered. A connection being destroyed (a forced
 * end at stop) or ended (the peer closed it) first makes its messages durable and sends what it
 * holds, so they are not delivered again; if that fails, the held PUBACKs are dropped and the broker
 * delivers those messages again.
 */
export class AckHold {
  private readonly holds = new WeakMap<Duplex, Hold>();
  private readonly watched = new WeakSet<AckingClient>();
  /** The hold whose `acknowledge` is sending its PUBACK right now. */
  private acknowledging: Hold | undefined;
  /** The hold that takes the writes of the packet MQTT.js is writing right now. */
  private capturing: Hold | undefined;

  constructor(private readonly options: AckHoldOptions) {}

  /**
   * Sends a message's PUBACK (`send`, MQTT.js's callback) into the client's connection, where it is
   * held. A connection that can hold nothing (closed or closing; MQTT.js then keeps the PUBACK for
   * the next one) gets the message made durable first; when that fails the message is left
   * unacknowledged, for the broker to deliver again.
   */
  acknowledge(client: AckingClient, send: () => void): void {
    const stream = client.stream;
    if (stream.destroyed || !stream.writable) {
      try {
        this.options.makeDurable();
      } catch (error) {
        this.options.onError(error);
        return;
      }
      send();
      return;
    }
    this.watch(client);
    const hold = this.holds.get(stream) ?? this.install(stream);
    this.acknowledging = hold;
    try {
      send();
    } finally {
      this.acknowledging = undefined;
      this.capturing = undefined;
    }
    if (hold.held) return;
    hold.held = true;
    setImmediate(() => this.release(stream, hold));
  }

  private watch(client: AckingClient): void {
    if (this.watched.has(client)) return;
    this.watched.add(client);
    // Within `send`, MQTT.js writes the PUBACK and may go on to handle the next packets it has read;
    // only the PUBACK's own writes are held.
    client.on('packetsend', (packet) => {
      this.capturing = packet.cmd === 'puback' ? this.acknowledging : undefined;
    });
  }

  private release(stream: Duplex, hold: Hold): void {
    hold.retry = undefined;
    // A destroy or end in the meantime has sent (or dropped) what was held.
    if (!hold.held) return;
    try {
      this.options.makeDurable();
    } catch (error) {
      // Said once per hold; the spool's appender says the rest.
      if (!hold.failed) this.options.onError(error);
      hold.failed = true;
      hold.retry = setTimeout(() => this.release(stream, hold), RETRY_MS);
      return;
    }
    hold.held = false;
    hold.failed = false;
    this.send(stream, hold);
  }

  /** Writes the held PUBACKs, whose messages are durable, as one write. */
  private send(stream: Duplex, hold: Hold): void {
    const writes = hold.writes;
    if (writes.length === 0) return;
    hold.writes = [];
    stream.cork();
    for (const args of writes) hold.write(...args);
    stream.uncork();
  }

  /** Ends a hold before its connection goes: what it holds leaves only if its messages are durable. */
  private settle(stream: Duplex, hold: Hold): void {
    clearTimeout(hold.retry);
    if (!hold.held) return;
    hold.held = false;
    try {
      this.options.makeDurable();
      this.send(stream, hold);
    } catch (error) {
      this.options.onError(error);
      hold.writes = [];
    }
  }

  private install(stream: Duplex): Hold {
    const hold: Hold = {
      write: stream.write.bind(stream) as Write,
      writes: [],
      held: false,
      failed: false,
      retry: undefined,
    };
    this.holds.set(stream, hold);
    stream.write = ((...args: unknown[]) => {
      if (this.capturing !== hold) return hold.write(...args);
      hold.writes.push(args);
      // Taken, as the corked connection took it before: MQTT.js goes on to the next message. A
      // spool that refuses stops the appends of the messages after it, so few PUBACKs gather.
      return true;
    }) as Duplex['write'];
    const destroy = stream.destroy.bind(stream);
    stream.destroy = (error?: Error) => {
      this.settle(stream, hold);
      return destroy(error);
    };
    // A socket whose peer closes it (the broker's FIN) ends itself.
    const end = stream.end.bind(stream) as (...args: unknown[]) => Duplex;
    stream.end = ((...args: unknown[]) => {
      this.settle(stream, hold);
      return end(...args);
    }) as Duplex['end'];
    return hold;
  }
}
