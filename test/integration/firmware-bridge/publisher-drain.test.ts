import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../firmware-bridge/outbox/outbox.js';
import { Publisher } from '../../../firmware-bridge/publisher.js';
import { freePort } from '../../../influx/index.js';
import type { Reading } from '../../../protocol/index.js';
import { startTestBroker, type TestBroker } from './broker.js';
import { TestSubscriber } from './subscriber.js';

// A gateway stopped right after it started (a SIGTERM moments after a restart, as the chaos bench
// sends after its last kill) has not connected yet, while its outbox holds what the killed run
// left: the readings its journal recovered and the messages never acknowledged. Stopping must
// give the broker its moment for those too, not take "not connected yet" for "connection lost".

const logger = pino({ level: 'silent' });
const ADDRESS = { station: 'jinfo', gateway: 'drain-gw' };

function readings(count: number, first: number): Reading[] {
  return Array.from({ length: count }, (_, i) => ({
    sensor: 'cave-t-1',
    quantity: 'temperature',
    unit: 'Cel',
    value: first + i,
    time: Date.UTC(2026, 10, 27) + first + i,
    qc: 2,
  }));
}

describe('Publisher.drain', () => {
  let dir: string;
  let broker: TestBroker;
  const cleanup: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-publisher-drain-'));
    broker = await startTestBroker();
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('called before the first connection, waits for it and publishes what the outbox holds', async () => {
    const subscriber = await TestSubscriber.connect(broker.url);
    cleanup.push(() => subscriber.end());
    const outbox = new Outbox({ dir, maxBytes: 1024 * 1024, logger });
    await outbox.start();
    cleanup.push(() => outbox.stop());
    for (let message = 0; message < 3; message += 1) await outbox.append(readings(4, message * 4));
    const publisher = new Publisher({ ...ADDRESS, url: broker.url, outbox, sensors: [], logger });
    cleanup.push(() => publisher.stop());

    publisher.start();
    await publisher.drain(60_000);

    expect(outbox.stats().pendingMessages).toBe(0);
    const seqs = await subscriber.until((received) => {
      const batches = received.on('readings').map((message) => (message.payload as { seq: number }).seq);
      return batches.length >= 3 ? batches : undefined;
    });
    expect(seqs).toEqual([0, 1, 2]);
  }, 120_000);

  it('returns when the connection attempt fails, without waiting for the timeout', async () => {
    const outbox = new Outbox({ dir, maxBytes: 1024 * 1024, logger });
    await outbox.start();
    cleanup.push(() => outbox.stop());
    await outbox.append(readings(4, 0));
    // A port nothing listens on: the connection is refused.
    const url = `mqtt://127.0.0.1:${await freePort()}`;
    const publisher = new Publisher({ ...ADDRESS, url, outbox, sensors: [], logger });
    cleanup.push(() => publisher.stop());

    publisher.start();
    await publisher.drain(600_000);

    expect(outbox.stats().pendingMessages).toBe(1);
  }, 120_000);
});
