import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock, Timer } from '../../../firmware-bridge/clock.js';
import { FileFollower, ROTATION_GRACE_MS } from '../../../firmware-bridge/drivers/toa5/file-follower.js';

/** Time that moves only when the test says; each poll is run by hand through `pollNow`. */
class StepClock implements Clock {
  time = 0;
  private pending: (() => void) | undefined;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void): Timer {
    this.pending = callback;
    return setTimeout(() => undefined, 0);
  }
  clearTimeout(): void {
    this.pending = undefined;
  }
  fire(): void {
    const callback = this.pending;
    this.pending = undefined;
    callback?.();
  }
}

describe('FileFollower and a missing file', () => {
  let dir: string;
  let path: string;
  const events: string[] = [];
  const clock = new StepClock();
  let follower: FileFollower;
  let polled: () => Promise<void>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-follower-'));
    path = join(dir, 'table.dat');
    events.length = 0;
    clock.time = 0;
    follower = new FileFollower({
      path,
      pollIntervalMs: 1000,
      clock,
      onLines: (lines) => events.push(...lines.map((line) => `line ${line}`)),
      onRestart: (reason) => events.push(`restart ${reason}`),
      onUnreadable: (error) => events.push(`unreadable ${(error as NodeJS.ErrnoException).code}`),
      onReadable: () => events.push('readable'),
    });
    // A poll's promise is what start() and the timer callback leave behind; waiting for the next one.
    polled = async () => {
      clock.fire();
      await (follower as unknown as { polling: Promise<void> }).polling;
    };
  });
  afterEach(async () => {
    await follower.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('says nothing while a rotated file is briefly gone, and reads the new one from its top', async () => {
    await writeFile(path, 'a\n');
    await follower.start();
    await rename(path, `${path}.1`);
    clock.time += 1000;
    await polled();
    clock.time += ROTATION_GRACE_MS - 1001;
    await polled();
    await writeFile(path, 'b\n');
    clock.time += 1000;
    await polled();
    expect(events).toEqual(['line a', 'restart replaced', 'line b']);
  });

  it('reports a file gone for longer than a rotation takes, once, and when it is back', async () => {
    await writeFile(path, 'a\n');
    await follower.start();
    await rename(path, `${path}.gone`);
    for (let i = 0; i < 8; i++) {
      clock.time += 1000;
      await polled();
    }
    await writeFile(path, 'b\n');
    clock.time += 1000;
    await polled();
    expect(events).toEqual(['line a', 'unreadable ENOENT', 'restart replaced', 'line b', 'readable']);
  });

  it('reports a file that was never there at the first poll', async () => {
    await follower.start();
    expect(events).toEqual(['unreadable ENOENT']);
  });
});
