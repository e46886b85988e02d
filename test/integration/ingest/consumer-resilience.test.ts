import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type IncomingMessage, MessageConsumer } from '../../../ingest/index.js';
import { gatewayTopic } from '../../../protocol/index.js';
import { LogRecorder } from '../../harness/log-recorder.js';
import { connectClient } from './test-broker.js';

const TOPIC = gatewayTopic({ station: 'jinfo', gateway: 'cave-gw-1' }, 'readings');
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * An in-process Aedes behind a listener that slams the door on the first `refuse` connections, as a
 * broker does that is restarting, taking over the old connection, or shedding load.
 */
async function startFlakyBroker(options: { refuse: number; authenticate?: boolean; port?: number }) {
  const aedes = await Aedes.createBroker();
  if (options.authenticate === false) {
    aedes.authenticate = (_client, _username, _password, done) => done(null, false);
  }
  let refused = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    if (refused < options.refuse) {
      refused++;
      socket.resetAndDestroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  cleanups.push(async () => {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    server.close();
  });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    refused: () => refused,
    dropConnections: () => {
      for (const socket of sockets) socket.resetAndDestroy();
    },
  };
}

function consumer(url: string, handle: (message: IncomingMessage) => Promise<void>, stallTimeoutMs?: number) {
  const logs = new LogRecorder();
  const instance = new MessageConsumer({
    config: { url, clientId: 'fs-ingest-resilience' },
    logger: logs.logger(),
    handle,
    makeDurable: () => {},
    ...(stallTimeoutMs === undefined ? {} : { stallTimeoutMs }),
  });
  cleanups.push(() => instance.stop());
  return { instance, logs };
}

describe('the ingest consumer and a broker that closes connections', () => {
  it('keeps reconnecting at start when the broker resets its first connections, then starts', async () => {
    const broker = await startFlakyBroker({ refuse: 3 });
    const { instance, logs } = consumer(broker.url, async () => {});
    await instance.start();
    expect(broker.refused()).toBe(3);
    expect(instance.connected).toBe(true);
    const attempts = logs.records.filter((r) => r.msg === 'MQTT connection closed; reconnecting');
    expect(attempts.map((r) => r.attempt)).toEqual([1, 2, 3]);
  });

  it('waits at start for a broker that is not listening yet', async () => {
    const placeholder = createServer();
    placeholder.listen(0, '127.0.0.1');
    await once(placeholder, 'listening');
    const { port } = placeholder.address() as AddressInfo;
    placeholder.close();
    await once(placeholder, 'close');
    const { instance, logs } = consumer(`mqtt://127.0.0.1:${port}`, async () => {});
    const started = instance.start();
    await logs.waitFor('MQTT connection closed; reconnecting', (r) => r.attempt === 2);
    await startFlakyBroker({ refuse: 0, port });
    await started;
    expect(instance.connected).toBe(true);
  });

  it('ends start() with a coded error when the broker refuses its credentials', async () => {
    const broker = await startFlakyBroker({ refuse: 0, authenticate: false });
    const { instance } = consumer(broker.url, async () => {});
    await expect(instance.start()).rejects.toMatchObject({ code: 'MQTT_CREDENTIALS_REFUSED' });
  });

  it('recovers after the broker drops a running connection, and goes on receiving', async () => {
    const broker = await startFlakyBroker({ refuse: 0 });
    const received: string[] = [];
    const { instance, logs } = consumer(broker.url, async (message) => {
      received.push(Buffer.from(message.payload).toString());
    });
    await instance.start();
    broker.dropConnections();
    await logs.waitFor('MQTT connection restored');
    const gateway = await connectClient(broker.url, 'cave-gw-1');
    cleanups.push(() => gateway.endAsync());
    await gateway.publishAsync(TOPIC, 'after', { qos: 1 });
    await vi.waitFor(() => expect(received).toEqual(['after']), { timeout: 10_000 });
  });
});

describe('the consumer watchdog', () => {
  it('restarts a consumer stalled on one message, hands that message back marked, and lets the rest through', async () => {
    const broker = await startFlakyBroker({ refuse: 0 });
    const handled: { body: string; stalledBefore: boolean }[] = [];
    const { instance, logs } = consumer(
      broker.url,
      (message) => {
        const body = Buffer.from(message.payload).toString();
        handled.push({ body, stalledBefore: message.stalledBefore === true });
        // The poison message never settles unless it comes back marked (then it is quarantined).
        if (body === 'poison' && message.stalledBefore !== true) return new Promise(() => {});
        return Promise.resolve();
      },
      300,
    );
    await instance.start();
    const gateway = await connectClient(broker.url, 'cave-gw-1');
    cleanups.push(() => gateway.endAsync());
    await gateway.publishAsync(TOPIC, 'poison', { qos: 1 });
    await gateway.publishAsync(TOPIC, 'good', { qos: 1 });

    const stalled = await logs.waitFor('ingest consumer stalled; restarting it');
    expect(stalled).toMatchObject({ topic: TOPIC });
    await vi.waitFor(
      () =>
        expect(handled).toEqual([
          { body: 'poison', stalledBefore: false },
          { body: 'poison', stalledBefore: true },
          { body: 'good', stalledBefore: false },
        ]),
      { timeout: 10_000 },
    );
    expect(instance.stalls).toBe(1);
    expect(instance.health()).toEqual({ ok: true });
  });

  it('reports the stall in its health until a message is acknowledged again', async () => {
    const broker = await startFlakyBroker({ refuse: 0 });
    const { instance, logs } = consumer(broker.url, () => new Promise(() => {}), 300);
    await instance.start();
    const gateway = await connectClient(broker.url, 'cave-gw-1');
    cleanups.push(() => gateway.endAsync());
    await gateway.publishAsync(TOPIC, 'stuck', { qos: 0 });
    await logs.waitFor('ingest consumer stalled; restarting it');
    expect(instance.health()).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/stalled on a message from fs\/v1\/jinfo\/cave-gw-1\/readings/),
    });
  });

  it('stops without hanging on a message that never settles, leaving it to the broker', async () => {
    const broker = await startFlakyBroker({ refuse: 0 });
    let received = 0;
    const { instance, logs } = consumer(broker.url, () => {
      received++;
      return new Promise(() => {});
    });
    await instance.start();
    const gateway = await connectClient(broker.url, 'cave-gw-1');
    cleanups.push(() => gateway.endAsync());
    await gateway.publishAsync(TOPIC, 'never settles', { qos: 1 });
    await vi.waitFor(() => expect(received).toBe(1));
    await instance.stop();
    expect(
      logs.find('the message in hand did not settle; stopping without it (the broker delivers it again)'),
    ).toBeDefined();
  }, 30_000);
});
