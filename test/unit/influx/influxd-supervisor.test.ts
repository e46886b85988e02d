import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  InfluxdSupervisor,
  type RestartPolicyInput,
  type ServerExit,
  type SupervisedServer,
} from '../../../influx/index.js';
import { LogRecorder } from '../../harness/log-recorder.js';

const KILLED: ServerExit = { code: null, signal: 'SIGKILL' };

/** A server whose start() outcomes the test decides, one per call, by settling them by hand. */
class FakeServer implements SupervisedServer {
  pid: number | undefined = 100;
  readonly startTimeouts: (number | undefined)[] = [];
  stops = 0;
  private pending: { resolve: (url: string) => void; reject: (error: Error) => void } | undefined;

  constructor(readonly crash: (exit: ServerExit) => void) {}

  start(timeoutMs?: number): Promise<string> {
    this.startTimeouts.push(timeoutMs);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  /** Settles the start under way: up, or failed with this message. */
  finishStart(outcome: 'up' | string): void {
    const pending = this.pending;
    this.pending = undefined;
    if (outcome === 'up') {
      this.pid = (this.pid ?? 0) + 1;
      pending?.resolve('http://127.0.0.1:8086');
    } else pending?.reject(new Error(outcome));
  }

  get starting(): boolean {
    return this.pending !== undefined;
  }

  // Like LocalInfluxd: stop() cancels a start under way.
  async stop(): Promise<void> {
    this.stops += 1;
    this.finishStart('cancelled by stop()');
  }
}

let logs: LogRecorder;
let server: FakeServer;

function supervisor(policy: RestartPolicyInput = {}): InfluxdSupervisor {
  return new InfluxdSupervisor({
    server: (onUnexpectedExit) => {
      server = new FakeServer(onUnexpectedExit);
      return server;
    },
    policy,
    logger: logs.logger(),
  });
}

async function started(policy: RestartPolicyInput = {}): Promise<InfluxdSupervisor> {
  const supervised = supervisor(policy);
  const url = supervised.start();
  server.finishStart('up');
  await url;
  return supervised;
}

/** Runs the clock to just before `ms` from now and checks no start began, then to `ms`. */
async function expectStartAfter(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms - 1);
  expect(server.starting).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(server.starting).toBe(true);
}

beforeEach(() => {
  vi.useFakeTimers();
  logs = new LogRecorder();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('InfluxdSupervisor', () => {
  it('does not retry a first start that fails: that is a setup problem to report', async () => {
    const supervised = supervisor();
    const url = supervised.start();
    server.finishStart('influxd is not installed');
    await expect(url).rejects.toThrow('influxd is not installed');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.startTimeouts).toHaveLength(1);
  });

  it('restarts a server that exited after 0.5 s and counts the restart', async () => {
    const supervised = await started();
    server.crash(KILLED);
    await expectStartAfter(500);
    expect(server.startTimeouts[1]).toBe(59_500);
    server.finishStart('up');
    await vi.advanceTimersByTimeAsync(0);
    expect(supervised.stats()).toEqual({ restarts: 1, failedRestarts: 0 });
    expect(logs.find('private influxd is down; restarting it')).toMatchObject({ attempt: 1, delayMs: 500 });
    expect(logs.find('private influxd restarted')).toMatchObject({
      attempt: 1,
      downForMs: 500,
      influxdPid: 102,
    });
  });

  it('waits longer after each failed attempt, and starts over at 0.5 s after the next crash', async () => {
    const supervised = await started();
    server.crash(KILLED);
    for (const delay of [500, 1000, 2000]) {
      await expectStartAfter(delay);
      server.finishStart('address in use');
    }
    await expectStartAfter(4000);
    server.finishStart('up');
    await vi.advanceTimersByTimeAsync(0);
    expect(supervised.stats()).toEqual({ restarts: 1, failedRestarts: 3 });
    expect(logs.records.filter((r) => r.msg === 'private influxd restart failed')).toHaveLength(3);

    server.crash(KILLED);
    await expectStartAfter(500);
  });

  it('gives up when the server is not back in time, with a coded error that says why', async () => {
    const supervised = await started({ giveUpAfterMs: 3000 });
    const failed = vi.fn();
    void supervised.failed.then(failed);
    server.crash({ code: 1, signal: null });
    await expectStartAfter(500);
    expect(server.startTimeouts[1]).toBe(2500);
    server.finishStart('influxd exited with 1 during start');
    await expectStartAfter(1000);
    server.finishStart('influxd exited with 1 during start');
    // The next attempt would come 2 s later, at 3.5 s: past the deadline, so there is none.
    await vi.advanceTimersByTimeAsync(0);
    expect(failed).toHaveBeenCalledTimes(1);
    const error = await supervised.failed;
    expect(error).toMatchObject({ code: 'INFLUXD_RESTART_FAILED' });
    expect(error.message).toBe(
      'the private influxd exited and could not be restarted within 3 s (2 attempts)',
    );
    expect(error.cause).toMatchObject({ message: 'influxd exited with 1 during start' });
    expect(logs.find('private influxd could not be restarted; giving up')).toMatchObject({
      level: 50,
      attempts: 2,
      downForMs: 1500,
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.startTimeouts).toHaveLength(3);
    expect(supervised.stats()).toEqual({ restarts: 0, failedRestarts: 2 });
  });

  it('gives up at once when the timeout is shorter than the first wait', async () => {
    const supervised = await started({ giveUpAfterMs: 400 });
    server.crash(KILLED);
    const error = await supervised.failed;
    expect(error.message).toContain('(0 attempts)');
    expect(error.cause).toMatchObject({ message: 'influxd exited with SIGKILL' });
    expect(server.startTimeouts).toHaveLength(1);
  });

  it('does not restart after stop(), even for an attempt that was waiting', async () => {
    const supervised = await started();
    server.crash(KILLED);
    await supervised.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.startTimeouts).toHaveLength(1);
    expect(server.stops).toBe(1);
  });

  it('cancels an attempt under way when stopped, and waits for it before returning', async () => {
    const supervised = await started();
    server.crash(KILLED);
    await expectStartAfter(500);
    await supervised.stop();
    expect(server.starting).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.startTimeouts).toHaveLength(2);
    expect(supervised.stats()).toEqual({ restarts: 0, failedRestarts: 0 });
    expect(logs.find('private influxd restart failed')).toBeUndefined();
  });

  it('ignores an exit once stopped', async () => {
    const supervised = await started();
    await supervised.stop();
    server.crash({ code: 0, signal: null });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.startTimeouts).toHaveLength(1);
  });
});
