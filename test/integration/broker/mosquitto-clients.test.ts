import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextMessage, type RunningBroker, startBroker, subscribeGranted } from './broker-fixture.js';

const run = promisify(execFile);
const TOPIC = 'fs/v1/xuefeng/ridge-1/readings';

let broker: RunningBroker<'gateway' | 'service'>;

beforeEach(async () => {
  broker = await startBroker({
    accounts: {
      gateway: { kind: 'gateway', station: 'xuefeng', gateway: 'ridge-1' },
      service: { kind: 'service', name: 'ingest' },
    },
  });
});

afterEach(async () => {
  await broker.stop();
});

function mosquittoPub(username: string, password: string) {
  const args = ['-h', '127.0.0.1', '-p', String(broker.port), '-u', username, '-P', password];
  return run('mosquitto_pub', [...args, '-t', TOPIC, '-m', '{"v":1,"seq":1,"readings":[]}', '-q', '1'], {
    timeout: 10_000,
  });
}

describe('Debian mosquitto_pub against the broker', () => {
  it('publishes to its own topic with its credentials, and is refused with a wrong password', async () => {
    const { gateway, service } = broker.accounts;
    const ingest = await broker.connect(service.username, service.password);
    await subscribeGranted(ingest, TOPIC);

    const received = nextMessage(ingest, TOPIC);
    await mosquittoPub(gateway.username, gateway.password);
    expect(JSON.parse(await received)).toMatchObject({ v: 1, seq: 1 });

    await expect(mosquittoPub(gateway.username, 'not-the-secret')).rejects.toMatchObject({
      stderr: expect.stringMatching(/bad user name or password|not authori[sz]ed/i),
    });
    expect(broker.server.stats().authFailures).toBe(1);
  });
});
