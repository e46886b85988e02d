import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalInfluxd, type ServerExit } from '../../../influx/index.js';

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

/** The influxd processes (and wrappers) running on the config file in `serverDir`, by pid. */
async function serversOn(serverDir: string): Promise<number[]> {
  const config = join(serverDir, 'influxd.conf');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(config)) pids.push(Number(entry));
  }
  return pids;
}

async function freshDir(name: string): Promise<string> {
  return mkdtemp(join(dir, `${name}-`));
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

  it('reports an exit nobody asked for, keeps its URL on the next start, and reports no exit stop() causes', async () => {
    const exits: ServerExit[] = [];
    let exited: (exit: ServerExit) => void = () => {};
    const nextExit = new Promise<ServerExit>((resolve) => {
      exited = resolve;
    });
    const server = new LocalInfluxd({
      dir: await freshDir('crash'),
      onUnexpectedExit: (exit) => {
        exits.push(exit);
        exited(exit);
      },
    });
    started.push(server);
    const url = await server.start();
    process.kill(server.pid as number, 'SIGKILL');
    expect(await nextExit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(server.pid).toBeUndefined();

    expect(await server.start()).toBe(url);
    expect((await fetch(`${url}/ping`)).status).toBe(204);
    await server.stop();
    expect(exits).toHaveLength(1);
  });

  it('leaves no influxd behind when stop() comes before the start has spawned it', async () => {
    const serverDir = await freshDir('stop-early');
    const server = new LocalInfluxd({ dir: serverDir });
    const starting = server.start();
    await server.stop();
    await expect(starting).rejects.toThrow(/cancelled/);
    expect(await serversOn(serverDir)).toEqual([]);
  });

  it('ends an influxd that is still loading when stop() comes, and the start fails as cancelled', async () => {
    const serverDir = await freshDir('stop-loading');
    // An influxd that never gets to answer, so stop() surely comes while it loads.
    const binary = join(serverDir, 'influxd-loading');
    await writeFile(binary, '#!/bin/sh\nexec sleep 60\n');
    await chmod(binary, 0o755);
    const server = new LocalInfluxd({ dir: serverDir, binary });
    const starting = server.start();
    starting.catch(() => undefined);
    await vi.waitFor(() => expect(server.pid).toBeDefined(), { timeout: 10_000, interval: 10 });
    const pid = server.pid as number;
    await server.stop();
    await expect(starting).rejects.toThrow(/cancelled/);
    expect(alive(pid)).toBe(false);
    await expect(readFile(join(serverDir, 'influxd.pid'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('ends an influxd that did not answer in time, so a retry never finds two', async () => {
    const serverDir = await freshDir('slow');
    const server = new LocalInfluxd({ dir: serverDir });
    await expect(server.start(1)).rejects.toThrow(/did not answer \/ping/);
    expect(await serversOn(serverDir)).toEqual([]);
    started.push(server);
    await server.start();
    expect(await serversOn(serverDir)).toEqual([server.pid]);
  });
});
