import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component } from './options.js';
import { randomDelay } from './random.js';
import { type ChaosRig, Teardown } from './rig.js';
import { gatewayUnderChaos } from './scenarios/gateway.js';
import { splitStation } from './scenarios/split-station.js';
import { wholeUp } from './scenarios/whole-up.js';
import { settle, storedKeys } from './stored-readings.js';
import { type Tally, tally } from './tally.js';

export interface ComponentRun {
  cycles: number;
  random: () => number;
  minDelayMs: number;
  maxDelayMs: number;
  /** Progress lines; the bench prints them, the test keeps them for a failure's message. */
  say: (line: string) => void;
  settleDeadlineMs?: number;
}

/** How long InfluxDB's count may stand still before what is missing counts as lost. */
const QUIET_MS = 15_000;

export interface ComponentResult extends Tally {
  component: Component;
  cycles: number;
  seconds: number;
}

const SCENARIOS: Record<Component, (dir: string, teardown: Teardown) => Promise<ChaosRig>> = {
  up: wholeUp,
  ingest: (dir, teardown) => splitStation(dir, 'ingest', teardown),
  broker: (dir, teardown) => splitStation(dir, 'broker', teardown),
  influxd: (dir, teardown) => splitStation(dir, 'influxd', teardown),
  gateway: gatewayUnderChaos,
};

async function cycle(rig: ChaosRig, run: ComponentRun, component: Component, n: number): Promise<void> {
  // The random moment is the point of the exercise: the load runs on meanwhile.
  const delay = randomDelay(run.random, run.minDelayMs, run.maxDelayMs);
  await sleep(delay);
  const killedAt = Date.now();
  await rig.kill();
  await rig.restart();
  run.say(
    `${component} cycle ${n}/${run.cycles}: killed ${delay} ms after it was back, up again in ${Date.now() - killedAt} ms`,
  );
}

/** One component's whole run in a temp dir of its own: start, cycles of kill -9 and restart, count. */
export async function runComponent(component: Component, run: ComponentRun): Promise<ComponentResult> {
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), `fs-chaos-${component}-`));
  const teardown = new Teardown();
  teardown.add(() => rm(dir, { recursive: true, force: true }));
  try {
    const rig = await teardown.guard(() => SCENARIOS[component](dir, teardown));
    for (let n = 1; n <= run.cycles; n++) await cycle(rig, run, component, n);
    const produced = await rig.stopLoad();
    run.say(`${component}: load stopped at ${produced.length} readings; waiting for InfluxDB`);
    await settle(rig.influx, rig.address, {
      expected: produced.length,
      quietMs: QUIET_MS,
      deadlineMs: run.settleDeadlineMs ?? 300_000,
    });
    const stored = await storedKeys(rig.influx, rig.address, rig.key);
    const seconds = Math.round((Date.now() - started) / 1000);
    return { component, cycles: run.cycles, seconds, ...tally(produced, stored) };
  } finally {
    await teardown.run();
  }
}
