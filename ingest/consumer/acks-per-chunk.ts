import type { Duplex } from 'node:stream';

/**
 * Lets the PUBACKs of all the messages that arrived in one chunk from the broker leave in one write.
 * MQTT.js handles the chunk's messages one after the other within the turn, and mqtt-packet corks
 * the connection for each PUBACK and uncorks it on the next tick, so each was a system call of its
 * own (with one reading per message, about as much of the ingest's time as decoding it). Here the
 * connection stays corked until the end of the turn in which a chunk arrived; a PUBACK still goes out
 * only after its message was handled, never earlier. A connection being destroyed (a forced end at
 * stop) first sends what it holds, so the messages it acknowledges are not delivered again.
 */
export function acknowledgePerChunk(stream: Duplex): void {
  let corked = false;
  const uncork = (): void => {
    if (!corked) return;
    corked = false;
    stream.uncork();
  };
  stream.prependListener('data', () => {
    if (corked) return;
    corked = true;
    stream.cork();
    setImmediate(uncork);
  });
  const destroy = stream.destroy.bind(stream);
  stream.destroy = (error?: Error) => {
    uncork();
    return destroy(error);
  };
}
