import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Part, runUntilSignal } from '../../../cli/lifecycle.js';
import { LogRecorder } from '../../harness/log-recorder.js';

function recordingPart(name: string, events: string[], failed?: Promise<Error>): Part {
  return {
    name,
    start: async () => {
      events.push(`start ${name}`);
    },
    stop: async () => {
      events.push(`stop ${name}`);
    },
    failed,
  };
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let listenersBefore: Set<unknown>;

beforeEach(() => {
  listenersBefore = new Set(SIGNALS.flatMap((signal) => process.listeners(signal)));
});

// runUntilSignal leaves its second-signal handlers for the rest of the process, which here is the test worker's.
afterEach(() => {
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!listenersBefore.has(listener)) process.off(signal, listener as NodeJS.SignalsListener);
    }
  }
});

describe('runUntilSignal', () => {
  it("stops every part in reverse order and returns 1 when a part fails, logging the part's error", async () => {
    const logs = new LogRecorder();
    const events: string[] = [];
    let fail: (error: Error) => void = () => {};
    const failed = new Promise<Error>((resolve) => {
      fail = resolve;
    });
    const running = runUntilSignal(
      [recordingPart('database', events, failed), recordingPart('api', events)],
      logs.logger(),
    );
    await logs.waitFor('running; stop with Ctrl-C or SIGTERM');
    expect(events).toEqual(['start database', 'start api']);

    fail(new Error('the database could not be restarted'));
    expect(await running).toBe(1);
    expect(events).toEqual(['start database', 'start api', 'stop api', 'stop database']);
    expect(logs.find('a part failed for good; shutting down')).toMatchObject({
      level: 50,
      part: 'database',
      err: { message: 'the database could not be restarted' },
    });
  });
});
