import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LineWriter } from '../../../../influx/index.js';
import { AlertEngine } from '../../../../ingest/alerts/alert-engine.js';
import { AlertPublisher } from '../../../../ingest/alerts/alert-publisher.js';
import { AlertRuntime } from '../../../../ingest/alerts/alert-runtime.js';
import { readAlertState } from '../../../../ingest/alerts/alert-state-file.js';
import { loadAlertRules } from '../../../../ingest/alerts/load-rules.js';
import { RetryPolicySchema } from '../../../../ingest/store/retry-policy.js';
import { LogRecorder } from '../../../harness/log-recorder.js';
import { tempDir } from '../../../harness/temp-dir.js';

const RULES = `rules:
  - { id: co2, station: jinfo, quantity: co2, op: above, threshold: 5000, for: 1m }
  - { id: drip, kind: deadman, station: jinfo, sensor: drip-rate-9, after: 5m }
`;

const writer: LineWriter = { write: async () => undefined, close: async () => undefined };

const runtimes: AlertRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.stop();
});

async function setup(now?: () => number) {
  const dir = tempDir('alert-runtime');
  const rulesFile = join(dir, 'alerts.yaml');
  await writeFile(rulesFile, RULES);
  const log = new LogRecorder();
  const logger = log.logger();
  const engine = new AlertEngine(await loadAlertRules(rulesFile));
  const published: string[] = [];
  const publisher = new AlertPublisher({
    publish: async (topic) => {
      published.push(topic);
    },
    writer,
    logger: pino({ level: 'silent' }),
    retry: RetryPolicySchema.parse({}),
    signal: new AbortController().signal,
  });
  const stateFile = join(dir, 'ingest', 'alert-state.json');
  const runtime = new AlertRuntime({
    engine,
    publisher,
    logger,
    stateFile,
    rulesFile,
    tickMs: 60_000,
    settleMs: 1000,
    maxCatchUpMs: 10_000,
    onFired: () => undefined,
    ...(now === undefined ? {} : { now }),
  });
  runtimes.push(runtime);
  return { runtime, engine, log, rulesFile, stateFile, published };
}

describe('AlertRuntime', () => {
  it('warns once about a sensor no gateway of the station announced', async () => {
    const { runtime, log } = await setup();
    const status = {
      v: 1 as const,
      state: 'online' as const,
      sensors: [{ sensor: 'drip-rate-1', quantity: 'drip-rate', unit: '/min' }],
    };
    runtime.status({ station: 'jinfo', gateway: 'cave-gw-1' }, status);
    runtime.status({ station: 'jinfo', gateway: 'cave-gw-1' }, status);
    const warnings = log.records.filter((r) => r.msg.startsWith('alert rule names a sensor or quantity'));
    expect(warnings.map((r) => [r.rule, r.sensor, r.quantity])).toEqual([
      ['co2', undefined, 'co2'],
      ['drip', 'drip-rate-9', undefined],
    ]);
  });

  it('reloads a valid rules file keeping unchanged rules, and keeps the rules in force when the new file is invalid', async () => {
    const { runtime, engine, log, rulesFile } = await setup();
    runtime.start();
    const before = engine.rules;
    await writeFile(rulesFile, `${RULES}  - { id: gw, kind: gateway-offline, station: jinfo }\n`);
    await vi.waitFor(() => expect(engine.rules).toHaveLength(3), { timeout: 5000 });
    expect(log.find('alert rules reloaded')).toMatchObject({ kept: 2, dropped: [] });
    await writeFile(rulesFile, 'rules:\n  - { id: x, kind: rate, station: jinfo }\n');
    const error = await log.waitFor('alert rules file invalid; the previous rules stay in force');
    expect(JSON.stringify(error.err)).toMatch(/alerts\.yaml: rules\.0/);
    expect(engine.rules).toHaveLength(3);
    expect(engine.rules[0]).not.toBe(before[0]);
  });

  it('writes the snapshot on stop', async () => {
    const { runtime, engine, stateFile } = await setup();
    runtime.start();
    engine.evaluate({ station: 'jinfo', gateway: 'cave-gw-1' }, [
      { sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]', value: 5100, time: Date.now(), qc: 1 },
    ]);
    runtimes.pop();
    await runtime.stop();
    const snapshot = await readAlertState(stateFile);
    expect(snapshot?.rules.map((rule) => rule.id)).toEqual(['co2', 'drip']);
    expect(snapshot?.rules[0]?.state).toMatchObject({
      firing: false,
      sensors: [['cave-gw-1/cave-co2-1', { pending: {} }]],
    });
  });

  it('arms silence checks only once the broker queue is drained: quiet for settleMs, or maxCatchUpMs at most', async () => {
    let clock = 1764194400000;
    const { runtime, engine, published } = await setup(() => clock);
    engine.evaluate({ station: 'jinfo', gateway: 'cave-gw-1' }, [
      { sensor: 'drip-rate-9', quantity: 'drip-rate', unit: '/min', value: 1, time: clock, qc: 1 },
    ]);
    clock += 20 * 60_000; // the ingest was down for 20 minutes
    runtime.start();
    for (let i = 0; i < 5; i++) {
      clock += 500; // queued messages keep coming: not drained yet
      runtime.noteMessage();
      runtime.tick();
    }
    expect(published).toEqual([]);
    clock += 1000;
    runtime.tick();
    await vi.waitFor(() => expect(published).toEqual(['fs/v1/alerts/jinfo/drip']));
  });
});
