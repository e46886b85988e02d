import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Component } from '../../../bench/chaos/options.js';
import { seededRandom } from '../../../bench/chaos/random.js';
import { runComponent } from '../../../bench/chaos/run-component.js';

// The chaos bench (npm run bench:chaos) shortened for CI, through the same code: kill -9 of each
// component at a random moment under load, restart, and every acknowledged reading stored exactly
// once. The random delay before each kill is the point; every other wait awaits an event or a count.

const SEED = randomInt(2 ** 31);
const CASES: { component: Component; cycles: number }[] = [
  { component: 'ingest', cycles: 2 },
  { component: 'broker', cycles: 2 },
  { component: 'influxd', cycles: 2 },
  { component: 'up', cycles: 1 },
];

describe(`kill -9 at random moments under load (seed ${SEED}: npm run bench:chaos -- --seed ${SEED})`, () => {
  const random = seededRandom(SEED);

  for (const { component, cycles } of CASES) {
    it(`loses and duplicates nothing when ${component} is killed ${cycles}×`, async () => {
      const progress: string[] = [];
      const result = await runComponent(component, {
        cycles,
        random,
        minDelayMs: 300,
        maxDelayMs: 1500,
        say: (line) => progress.push(line),
        settleDeadlineMs: 60_000,
      });
      const figures = `seed ${SEED}\n${progress.join('\n')}\n${JSON.stringify(result)}`;
      expect(result.produced, figures).toBeGreaterThan(0);
      expect({ lost: result.lost, duplicated: result.duplicated }, figures).toEqual({
        lost: 0,
        duplicated: 0,
      });
      expect(result.stored, figures).toBe(result.produced);
    }, 120_000);
  }
});
