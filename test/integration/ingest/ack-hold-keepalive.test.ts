import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { AckHold } from '../../../ingest/consumer/ack-hold.js';
import { connectClient, startTestBroker } from './test-broker.js';

// The ingest runs with MQTT.js's default keepalive of 60 s; 1 s here, so two pings take about two
// seconds. A PINGREQ that waits behind the held PUBACKs gets no PINGRESP, and MQTT.js drops the
// connection at 1.5 times the keepalive.
const KEEPALIVE_S = 1;
/** Only a failure guard: two keepalive rounds take about 2 s, even on a busy machine far less than this. */
const GUARD_MS = 20_000;

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Resolves with `promise`, or rejects once the guard has run out: a hang is a failure, not a wait. */
async function guarded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${GUARD_MS} ms`)), GUARD_MS);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves on the `count`-th PINGRESP the client receives from now on. */
function pingResponses(client: MqttClient, count: number): Promise<'answered'> {
  return new Promise((resolve) => {
    let seen = 0;
    client.on('packetreceive', (packet) => {
      if (packet.cmd === 'pingresp' && ++seen === count) resolve('answered');
    });
  });
}

describe.each([
  ['refuses the write', true],
  ['takes the write (control)', false],
])('AckHold while the spool %s', (_name, refusing) => {
  it('keeps the connection alive past its keepalive and sends the PUBACK only once the message is durable', async () => {
    const broker = await startTestBroker();
    cleanups.push(() => broker.close());
    let ackedYet = false;
    const acked = new Promise<void>((resolve) =>
      broker.aedes.once('ack', () => {
        ackedYet = true;
        resolve();
      }),
    );
    const spool = { refusing };
    const acks = new AckHold({
      makeDurable: () => {
        if (spool.refusing) throw new Error('EIO: the spool refuses the write');
      },
      onError: () => {},
    });
    const consumer = await mqtt.connectAsync(broker.url, {
      clientId: 'fs-ingest-keepalive',
      protocolVersion: 4,
      clean: false,
      keepalive: KEEPALIVE_S,
      reconnectPeriod: 0,
    });
    cleanups.push(() => consumer.endAsync(true));
    let handled = (): void => {};
    const handledOne = new Promise<void>((resolve) => {
      handled = resolve;
    });
    consumer.handleMessage = (_packet, done) => {
      acks.acknowledge(consumer, done);
      handled();
    };
    await consumer.subscribeAsync('fs/v1/jinfo/cave-gw-1/readings', { qos: 1 });
    const closed = new Promise<'closed'>((resolve) => consumer.once('close', () => resolve('closed')));

    const gateway = await connectClient(broker.url, 'cave-gw-1');
    cleanups.push(() => gateway.endAsync());
    await gateway.publishAsync('fs/v1/jinfo/cave-gw-1/readings', 'reading', { qos: 1 });
    await guarded(handledOne, 'the consumer handling the message');

    const outcome = await guarded(Promise.race([pingResponses(consumer, 2), closed]), 'two keepalive pings');
    expect(outcome).toBe('answered');

    if (refusing) {
      expect(ackedYet).toBe(false);
      spool.refusing = false;
    }
    await guarded(acked, "the broker receiving the consumer's PUBACK");
    expect(consumer.connected).toBe(true);
  });
});
