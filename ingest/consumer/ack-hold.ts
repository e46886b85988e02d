import type { Duplex } from 'node:stream';

/** After the spool refused a flush, how long until the held PUBACKs try again. */
const RETRY_MS = 200;

export interface AckHoldOptions {
  /** Makes what the handled messages appended durable (the spool's flush); throws when it cannot. */
  makeDurable(): void;
  onError(error: unknown): void;
}

interface Hold {
  held: boolean;
  /** `makeDurable` failed since the hold began. */
  failed: boolean;
  retry: NodeJS.Timeout | undefined;
}

/**
 * Holds the PUBACKs written to a connection in one event-loop turn and lets them leave together at
 * the end of the turn, right after `makeDurable`. MQTT.js handles the messages of one chunk from the
 * broker one after the other within a turn, and mqtt-packet corks the connection for each PUBACK
 * and uncorks it on the next tick, so each was a system call of its own; and the spool writes the
 * turn's appends in one write (AppendBatch), which must reach the kernel before any PUBACK of theirs
 * leaves. The connection stays corked until `makeDurable` has returned; while it throws (the disk
 * refuses the write), the PUBACKs stay held and it is tried again. A connection being destroyed (a
 * forced end at stop) or ended (the peer closed it) first makes its messages durable and sends what
 * it holds, so they are not delivered again; if that fails, the held PUBACKs go with the connection
 * and the broker delivers those messages again.
 */
export class AckHold {
  private readonly holds = new WeakMap<Duplex, Hold>();

  constructor(private readonly options: AckHoldOptions) {}

  /**
   * Sends a message's PUBACK (`send`, MQTT.js's callback) into the held connection. A connection that
   * can hold nothing (closed or closing; MQTT.js then keeps the PUBACK for the next one) gets the
   * message made durable first; when that fails the message is left unacknowledged, for the broker
   * to deliver again.
   */
  acknowledge(stream: Duplex, send: () => void): void {
    if (!this.hold(stream)) {
      try {
        this.options.makeDurable();
      } catch (error) {
        this.options.onError(error);
        return;
      }
    }
    send();
  }

  /** Returns false when the connection can hold nothing. */
  private hold(stream: Duplex): boolean {
    if (stream.destroyed || !stream.writable) return false;
    const hold = this.holds.get(stream) ?? this.install(stream);
    if (hold.held) return true;
    hold.held = true;
    stream.cork();
    setImmediate(() => this.release(stream, hold));
    return true;
  }

  private release(stream: Duplex, hold: Hold): void {
    hold.retry = undefined;
    // A destroy in the meantime has released (or dropped) what was held.
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
    stream.uncork();
  }

  private install(stream: Duplex): Hold {
    const hold: Hold = { held: false, failed: false, retry: undefined };
    this.holds.set(stream, hold);
    const destroy = stream.destroy.bind(stream);
    stream.destroy = (error?: Error) => {
      clearTimeout(hold.retry);
      if (hold.held) {
        hold.held = false;
        try {
          this.options.makeDurable();
          stream.uncork();
        } catch (flushError) {
          this.options.onError(flushError);
        }
      }
      return destroy(error);
    };
    // end() uncorks whatever is held, and a socket whose peer closes (the broker's FIN) ends itself:
    // held PUBACKs leave only if their messages are durable, else the connection goes without them.
    const end = stream.end.bind(stream) as () => Duplex;
    stream.end = ((...args: Parameters<Duplex['end']>) => {
      if (hold.held) {
        clearTimeout(hold.retry);
        hold.held = false;
        try {
          this.options.makeDurable();
        } catch (flushError) {
          this.options.onError(flushError);
          return destroy();
        }
      }
      return (end as (...endArgs: Parameters<Duplex['end']>) => Duplex)(...args);
    }) as Duplex['end'];
    return hold;
  }
}
