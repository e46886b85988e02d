import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { IdleDeadline } from '../../../influx/idle-deadline.js';

const MS = 50;
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Both ends of a loopback TCP connection. */
async function socketPair(): Promise<{ server: Socket; client: Socket }> {
  const listener = createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const address = listener.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const client = connect(address.port, '127.0.0.1');
  const [server] = (await once(listener, 'connection')) as [Socket];
  await once(client, 'connect');
  cleanups.push(() => {
    client.destroy();
    server.destroy();
    listener.close();
  });
  return { server, client };
}

/** Holds the CPU, as a machine busy with other work does to this process. */
function starve(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('IdleDeadline', () => {
  it('fires once nothing disarms it for its time', async () => {
    const deadline = new IdleDeadline(MS);
    deadline.arm();
    await once(deadline.signal, 'abort');
    expect(deadline.expired).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe(`no data for ${MS} ms`);
  });

  it('does not take its own process going without CPU for the silence of the other end', async () => {
    const { server, client } = await socketPair();
    const deadline = new IdleDeadline(MS);
    client.on('data', () => deadline.disarm());
    deadline.arm();
    server.write('data');
    starve(2 * MS);
    await once(client, 'data');
    // Lets the timer's look at I/O run, had the data not disarmed it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(deadline.expired).toBe(false);
  });
});
