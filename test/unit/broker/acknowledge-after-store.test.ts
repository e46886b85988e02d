import { once } from 'node:events';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { AcknowledgeAfterStore } from '../../../broker/durability/acknowledge-after-store.js';
import { discardDropped } from '../../../broker/limits/publish-drop.js';
import { delegateTo } from '../../../broker/persistence/delegate-to.js';

const memoryPersistence = createRequire(import.meta.url)('aedes-persistence') as () => object;
const mqemitter = createRequire(import.meta.url)('mqemitter') as (options: object) => Emitter;

interface Emitter {
  emit(packet: { topic: string }, done: () => void): void;
}
interface Queue {
  outgoingEnqueueCombi(subs: unknown[], packet: unknown): Promise<void>;
}

/** An emitter that holds every message on `held/#` until released: a delivery still under way. */
function holdingEmitter() {
  const inner = mqemitter({ concurrency: 100, matchEmptyLevels: true });
  const held: (() => void)[] = [];
  const emitter = delegateTo(inner, {
    emit(packet: { topic: string }, done: () => void) {
      if (!packet.topic.startsWith('held/')) return inner.emit(packet, done);
      held.push(() => inner.emit(packet, done));
    },
  });
  return {
    emitter,
    held,
    release: () => {
      for (const emit of held.splice(0)) emit();
    },
  };
}

/** A store whose queue writes fail while `failing` is set. */
function failableStore() {
  const state = { failing: false };
  const store = memoryPersistence();
  const queue = store as unknown as Queue;
  const view = delegateTo(store, {
    outgoingEnqueueCombi: (subs: unknown[], packet: unknown) =>
      state.failing ? Promise.reject(new Error('disk full')) : queue.outgoingEnqueueCombi(subs, packet),
  });
  return { view, state };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

type AedesOptions = NonNullable<ConstructorParameters<typeof Aedes>[0]>;

async function brokerWithHeldDeliveries() {
  const { emitter, held, release } = holdingEmitter();
  const { view, state } = failableStore();
  const acknowledgements = new AcknowledgeAfterStore((): Aedes => aedes);
  const aedes: Aedes = new Aedes({
    persistence: acknowledgements.persistence(view) as AedesOptions['persistence'],
    mq: emitter as unknown as AedesOptions['mq'],
    authorizePublish: acknowledgements.authorizePublish((_client, _packet, callback) => callback(null)),
  });
  discardDropped(aedes, (packet, client, done) => acknowledgements.finishDropped(packet, client, done));
  await aedes.listen();
  const server: Server = createServer(aedes.handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: MqttClient[] = [];
  const connect = async () => {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    clients.push(client);
    return client;
  };
  stop = async () => {
    release();
    await Promise.all(clients.map((client) => client.endAsync(true)));
    server.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
  };
  return { connect, held, release, state };
}

describe('AcknowledgeAfterStore', () => {
  it('acknowledges a QoS 1 publish once it is stored, before its delivery has finished, and delivers it once', async () => {
    const { connect, held, release } = await brokerWithHeldDeliveries();
    const subscriber = await connect();
    await subscriber.subscribeAsync('held/#', { qos: 1 });
    const received: string[] = [];
    subscriber.on('message', (_topic, payload) => received.push(payload.toString()));
    const publisher = await connect();
    await publisher.publishAsync('held/a', 'one', { qos: 1 });
    expect(held).toHaveLength(1);
    expect(received).toEqual([]);
    const delivered = new Promise((resolve) => subscriber.once('message', resolve));
    release();
    await delivered;
    expect(received).toEqual(['one']);
  });

  it('closes the connection without PUBACK when the store fails', async () => {
    const { connect, state } = await brokerWithHeldDeliveries();
    const publisher = await connect();
    state.failing = true;
    const closed = new Promise<void>((resolve) => publisher.once('close', () => resolve()));
    const acknowledged = publisher.publishAsync('free/a', 'lost', { qos: 1 }).then(
      () => true,
      () => false,
    );
    await closed;
    publisher.end(true);
    expect(await acknowledged).toBe(false);
  });
});
