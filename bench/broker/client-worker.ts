/**
 * A client thread of the broker benchmark: either every publisher or the one subscriber, apart from
 * each other and from the broker's process, so the load and the counting compete for no event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import mqtt, { type MqttClient } from 'mqtt';
import { epochNow } from '../stats.js';
import type { ClientCommand, ClientEvent, ClientLogin, ClientWorkerData, PublisherSpec } from './messages.js';
import { publishUntil } from './publisher-pump.js';

const port = parentPort;
if (port === null) throw new Error('client-worker.js runs only as a worker thread');
const data = workerData as ClientWorkerData;

function post(event: ClientEvent): void {
  port?.postMessage(event);
}

function fail(error: unknown): void {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}

const clients: MqttClient[] = [];
let closing = false;

async function connect(url: string, login: ClientLogin): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    clientId: login.clientId,
    username: login.username,
    password: login.password,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
  });
  client.on('close', () => {
    if (!closing) fail(`${login.clientId}: connection to the broker lost`);
  });
  clients.push(client);
  return client;
}

let received = 0;

function later(atMs: number, task: () => void): void {
  setTimeout(task, Math.max(0, atMs - epochNow()));
}

function measure(command: Extract<ClientCommand, { type: 'measure' }>): void {
  later(command.startAt, () => {
    const start = { count: received, at: epochNow() };
    later(command.endAt, () => {
      post({ type: 'measured', result: { received: received - start.count, ms: epochNow() - start.at } });
    });
  });
}

function drain(command: Extract<ClientCommand, { type: 'drain' }>): void {
  const startedAt = epochNow();
  let last = { count: received, at: startedAt };
  const timer = setInterval(() => {
    const now = epochNow();
    if (received !== last.count) last = { count: received, at: now };
    const quiet = now - last.at >= command.quietMs;
    if (received >= command.expected || quiet || now - startedAt >= command.timeoutMs) {
      clearInterval(timer);
      post({ type: 'drained', received });
    }
  }, 20);
}

async function close(): Promise<void> {
  closing = true;
  await Promise.all(clients.map((client) => client.endAsync()));
  post({ type: 'closed' });
  port?.close();
}

type Handler = (command: ClientCommand) => Promise<void> | void;
type SubscriberData = Extract<ClientWorkerData, { role: 'subscriber' }>;
type PublishersData = Extract<ClientWorkerData, { role: 'publishers' }>;

async function startSubscriber(spec: SubscriberData): Promise<Handler> {
  const client = await connect(spec.url, spec.login);
  client.on('message', () => {
    received += 1;
  });
  await client.subscribeAsync(spec.filter, { qos: spec.qos });
  return (command) => {
    if (command.type === 'measure') measure(command);
    else if (command.type === 'drain') drain(command);
    else if (command.type === 'close') return close();
  };
}

async function startPublishers(spec: PublishersData): Promise<Handler> {
  const publishers: { client: MqttClient; spec: PublisherSpec }[] = [];
  for (const publisher of spec.publishers) {
    publishers.push({ client: await connect(spec.url, publisher), spec: publisher });
  }
  const payload = Buffer.from(spec.payload);
  const publish = async (untilAt: number): Promise<void> => {
    const results = await Promise.all(
      publishers.map(({ client, spec: { topic } }) =>
        publishUntil({ client, topic }, payload, spec.qos, spec.window, untilAt),
      ),
    );
    const sent = results.reduce((total, result) => total + result.sent, 0);
    const acked = results.reduce((total, result) => total + result.acked, 0);
    post({ type: 'published', result: { sent, acked } });
  };
  return (command) => {
    if (command.type === 'publish') return publish(command.untilAt);
    if (command.type === 'close') return close();
  };
}

(data.role === 'subscriber' ? startSubscriber(data) : startPublishers(data)).then((handle) => {
  port.on('message', (command: ClientCommand) => {
    Promise.resolve(handle(command)).catch(fail);
  });
  post({ type: 'ready' });
}, fail);
