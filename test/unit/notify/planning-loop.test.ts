import { rm } from 'node:fs/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertBook, type Dispatcher, Journal } from '../../../notify/index.js';
import { PlanningLoop } from '../../../notify/planning-loop.js';
import { tempDir } from '../../harness/temp-dir.js';
import { event, subscribers, T0 } from './fixtures.js';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Sends nothing: these tests look at planning only. */
const idleDispatcher = { run: () => undefined } as unknown as Dispatcher;

async function loopOver(rules: number) {
  const dir = tempDir('fs-notify-loop');
  dirs.push(dir);
  const journal = new Journal(dir, logger);
  const ledger = await journal.open();
  const book = new AlertBook();
  const subs = subscribers();
  for (let i = 0; i < rules; i++) book.recordEvent(event({ rule: `rule-${i}` }), T0);
  const loop = new PlanningLoop({
    book,
    ledger,
    journal,
    dispatcher: idleDispatcher,
    subscribers: () => subs,
    settleMs: 0,
    logger,
    now: () => T0,
  });
  return { book, ledger, journal, loop };
}

describe('PlanningLoop', () => {
  it('plans only the rule a message is about, so a burst of messages over many rules stays linear', async () => {
    const { book, ledger, journal, loop } = await loopOver(10_000);
    await loop.run();
    expect(ledger.size).toBe(10_000);
    const started = performance.now();
    // As 500 retained events seen again would (a resubscription): each waits for its own pass
    // before MQTT.js hands over the next message, and none owes anything new.
    for (let i = 0; i < 500; i++) {
      book.recordEvent(event({ rule: `rule-${i}` }), T0);
      await loop.run([{ station: 'xuefeng', rule: `rule-${i}` }]);
    }
    // Before, every message's pass planned all 10,000 rules: about 15 s here (15 ms now).
    expect(performance.now() - started).toBeLessThan(2000);
    expect(ledger.size).toBe(10_000);
    // A new episode of one rule is planned by its message's pass.
    const fresh = event({ rule: 'rule-7', since: T0 + 1 });
    book.recordEvent(fresh, T0 + 10 * 60_000);
    await loop.run([fresh]);
    expect(ledger.size).toBe(10_001);
    await journal.close();
  });

  it('a pass for a message that concerns no rule plans nothing; the tick plans every rule', async () => {
    const { ledger, journal, loop } = await loopOver(3);
    await loop.run([]);
    expect(ledger.size).toBe(0);
    await loop.run();
    expect(ledger.size).toBe(3);
    await journal.close();
  });
});
