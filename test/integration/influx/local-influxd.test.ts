import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalInfluxd } from '../../../influx/index.js';

let dir: string;
const started: LocalInfluxd[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-local-influxd-'));
});

afterAll(async () => {
  for (const server of started) await server.stop();
  await rm(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('private influxd', () => {
  it('records its pid, and a later start on the same data stops an influxd left behind', async () => {
    const first = new LocalInfluxd({ dir });
    started.push(first);
    await first.start();
    const firstPid = first.pid as number;
    expect(Number((await readFile(join(dir, 'influxd.pid'), 'utf8')).trim())).toBe(firstPid);

    // As after a kill -9 of the process that started it: nobody stopped `first`.
    const second = new LocalInfluxd({ dir });
    started.push(second);
    const url = await second.start();
    expect(alive(firstPid)).toBe(false);
    expect((await fetch(`${url}/ping`)).status).toBe(204);
    expect(Number((await readFile(join(dir, 'influxd.pid'), 'utf8')).trim())).toBe(second.pid);

    await second.stop();
    await expect(readFile(join(dir, 'influxd.pid'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
