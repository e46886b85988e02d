import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock, Timer } from '../../../firmware-bridge/clock.js';
import type { RawSample } from '../../../firmware-bridge/drivers/driver.js';
import type { LinePortConfig } from '../../../firmware-bridge/drivers/serial-line/serial-line-driver.js';
import {
  SerialLineDriver,
  type SerialSensorConfig,
} from '../../../firmware-bridge/drivers/serial-line/serial-line-driver.js';
import type { SensorError } from '../../../firmware-bridge/errors.js';
import { startPtyPair } from '../../harness/socat.js';

const logger = pino({ level: process.env.FS_TEST_LOG ?? 'silent' });
const RETRY = { initialDelayMs: 20, maxDelayMs: 80, factor: 2, jitter: 1 };

const SENSOR: SerialSensorConfig = {
  id: 'drip-rate-1',
  quantity: 'drip-rate',
  unit: '/min',
  intervalMs: 60000,
  driver: { type: 'serial-line', port: 'drip' },
};

describe('SerialLineDriver', () => {
  let dir: string;
  const samples: RawSample[] = [];
  const errors: SensorError[] = [];
  const sink = { sample: (s: RawSample) => samples.push(s), error: (e: SensorError) => errors.push(e) };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-serial-'));
    samples.length = 0;
    errors.length = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const pendingTimers = new Set<Timer>();
  // The system clock, with a record of the timers still waiting to fire.
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout: (callback, ms) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        callback();
      }, ms);
      pendingTimers.add(timer);
      return timer;
    },
    clearTimeout: (timer) => {
      pendingTimers.delete(timer);
      clearTimeout(timer);
    },
  };

  function driverFor(path: string): SerialLineDriver {
    const port: LinePortConfig = {
      id: 'drip',
      path,
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      protocol: { type: 'value' },
    };
    return new SerialLineDriver({ port, sensors: [SENSOR], sink, logger, retry: RETRY, clock });
  }

  it('counts a port that cannot be opened and keeps retrying without throwing', async () => {
    const driver = driverFor(join(dir, 'no-such-tty'));
    await driver.start();
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(3));
    await driver.stop();
    expect(errors[0]).toMatchObject({ code: 'SERIAL_OPEN_FAILED', sensors: ['drip-rate-1'] });
    expect(errors[0]?.message).toContain('no-such-tty');
    // Stopped means stopped: no retry is left waiting.
    expect(pendingTimers.size).toBe(0);
  });

  it('reads lines from a PTY, then counts the port closing and tries to reopen it', async () => {
    const pty = await startPtyPair();
    const driver = driverFor(pty.a);
    try {
      await driver.start();
      const device = await open(pty.b, 'w');
      await device.write('17\r\n18\n');
      await vi.waitFor(() => expect(samples.map((s) => s.value)).toEqual([17, 18]));
      await device.close();
      await pty.stop();
      await vi.waitFor(() => expect(errors.map((e) => e.code)).toContain('SERIAL_CLOSED'));
      await vi.waitFor(() => expect(errors.map((e) => e.code)).toContain('SERIAL_OPEN_FAILED'));
    } finally {
      await driver.stop();
      await pty.stop();
    }
  });
});
