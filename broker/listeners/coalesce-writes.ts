import type { Socket } from 'node:net';

/**
 * Lets everything written to a TCP or TLS connection during one turn of the event loop leave in one
 * write.
 * mqtt-packet corks the stream for each packet and uncorks it on the next tick, so every packet
 * that Aedes writes from its own callback (a delivery, a PUBACK) was a system call of its own: in
 * the benchmark, writev took more of the broker's time than any other function. Here an uncork
 * waits for the end of the turn (setImmediate), and then all of the turn's packets go out together.
 *
 * A connection that is destroyed gets what was written first: a refusing CONNACK is written and the
 * socket destroyed in the same breath, and the client must still read the return code.
 */
export function coalesceWrites(stream: Socket): void {
  const uncork = stream.uncork.bind(stream);
  const destroy = stream.destroy.bind(stream);
  const flush = (): void => {
    while (stream.writableCorked > 0) uncork();
  };
  let scheduled = false;
  stream.uncork = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      flush();
    });
  };
  stream.destroy = (error?: Error) => {
    flush();
    return destroy(error);
  };
}
