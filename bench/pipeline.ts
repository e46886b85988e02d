/**
 * `npm run bench`: throughput and latency of the readings path (gateway clients -> broker -> ingest
 * -> InfluxDB), all started here on free loopback ports in a temp dir and stopped at the end.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { gatewayId } from './batches.js';
import { runBenchMain } from './bench-main.js';
import { type BenchStation, BenchStationRunner } from './bench-station.js';
import { CpuMeter } from './cpu-meter.js';
import { type BaselineOutcome, runInfluxBaseline } from './influx-baseline.js';
import { type LatencyOutcome, runLatencyPhase } from './latency-phase.js';
import { LoadProcess } from './load-process.js';
import {
  type BenchOptions,
  BenchUsageError,
  DEFAULT_THROUGHPUT_SECONDS,
  parseBenchOptions,
  USAGE,
} from './options.js';
import { brokerEnvInEffect, rerunUnder, runsUnder } from './process-env.js';
import { renderText } from './render-text.js';
import { assembleResults, type BenchResults, type RunHeader } from './results.js';
import { runThroughputPhase } from './throughput-phase.js';
import type { ThroughputLimit } from './worker-messages.js';

const DAY_MS = 86_400_000;
/** Time allowed beyond the phases' own lengths and timeouts: start-up, settling, shutdown. */
const WATCHDOG_SLACK_SECONDS = 60;
/** How long the latency phase keeps polling for probes still unseen after its last PUBACK. */
const SETTLE_TIMEOUT_MS = 10_000;

function say(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function throughputLimit(options: BenchOptions): ThroughputLimit {
  if (options.readings === undefined) {
    return { kind: 'seconds', seconds: options.seconds ?? DEFAULT_THROUGHPUT_SECONDS };
  }
  return { kind: 'messages', perGateway: Math.ceil(options.readings / (options.batch * options.gateways)) };
}

function runHeader(options: BenchOptions, station: BenchStation): RunHeader {
  return {
    startedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    influxdb: station.influx.server.version,
    influxd: station.influxdPid === undefined ? 'given' : 'private',
    options,
    processEnv: brokerEnvInEffect(),
    throughputLimit: throughputLimit(options),
  };
}

interface RunParts {
  runner: BenchStationRunner;
  dir: string;
  load?: LoadProcess;
}

/** Stops everything started so far, once, whichever way the run ends. */
function cleanupOf(parts: RunParts): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= (async () => {
      await parts.load?.stop().catch((error: Error) => say(`load process did not stop: ${error.message}`));
      await parts.runner.stop();
      await rm(parts.dir, { recursive: true, force: true });
    })();
    return done;
  };
}

function watchdogSeconds(options: BenchOptions): number {
  const publishing = options.readings === undefined ? (options.seconds ?? DEFAULT_THROUGHPUT_SECONDS) : 600;
  return (
    publishing +
    options.drainTimeout +
    options.latencySeconds +
    2 * options.baselineSeconds +
    WATCHDOG_SLACK_SECONDS
  );
}

/** Starts the station and the load process, runs the phases and gathers what they measured. */
async function measure(options: BenchOptions, parts: RunParts): Promise<BenchResults> {
  say(`starting ${options.influxUrl === undefined ? 'influxd, ' : ''}broker and ingest in ${parts.dir}`);
  const station = await parts.runner.start();
  const load = new LoadProcess({
    mqttUrl: station.mqttUrl,
    gateways: station.accounts,
    batch: options.batch,
    window: options.window,
    originMs: Date.now() - 2 * DAY_MS,
  });
  parts.load = load;
  await load.start();
  const meter = new CpuMeter(station.influxdPid, load, station.broker);
  const header = runHeader(options, station);
  say(`${options.gateways} gateways connected; phase 1, throughput`);
  const throughput = await runThroughputPhase(
    { station, load, meter },
    {
      limit: header.throughputLimit,
      drainTimeoutMs: options.drainTimeout * 1000,
      countIntervalMs: options.countPollMs,
    },
  );
  let latency: LatencyOutcome | undefined;
  if (throughput.storedAt === undefined) {
    say('InfluxDB did not receive every reading in time; skipping the latency phase');
  } else if (options.latencySeconds > 0) {
    say('phase 2, latency');
    latency = await runLatencyPhase(
      { station, load, meter },
      {
        seconds: options.latencySeconds,
        rate: options.latencyRate,
        pollIntervalMs: options.pollMs,
        settleTimeoutMs: SETTLE_TIMEOUT_MS,
      },
    );
  }
  // The InfluxDB-only runs should not share the machine with idle-but-connected clients.
  await load.stop();
  let baseline: BaselineOutcome | undefined;
  if (options.baselineSeconds > 0) {
    say('phase 3, InfluxDB alone');
    baseline = await runInfluxBaseline(
      station.influxConfig,
      options.batch,
      options.baselineSeconds,
      options.baselineWriters,
    );
  }
  return assembleResults(header, throughput, latency, baseline);
}

async function run(options: BenchOptions): Promise<number> {
  const logger = pino({ name: 'bench', level: options.logLevel }, pino.destination(2));
  const dir = await mkdtemp(join(tmpdir(), 'fs-bench-'));
  const gateways = Array.from({ length: options.gateways }, (_, index) => gatewayId(index));
  const parts: RunParts = {
    runner: new BenchStationRunner({
      dir,
      gateways,
      influxUrl: options.influxUrl,
      brokerStore: options.brokerStore,
      logger,
    }),
    dir,
  };
  const cleanup = cleanupOf(parts);
  const abort = (reason: string, code: number): void => {
    say(`${reason}; stopping`);
    void cleanup().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  // A promise nobody awaited failed: stop what was started (influxd is a child process) before exiting.
  process.once('unhandledRejection', (error) =>
    abort(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`, 1),
  );
  const watchdog = setTimeout(() => abort('run took too long', 1), watchdogSeconds(options) * 1000);
  watchdog.unref();
  try {
    const results = await measure(options, parts);
    if (options.resultsFile !== undefined) {
      await writeFile(options.resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    }
    process.stdout.write(options.json ? `${JSON.stringify(results, null, 2)}\n` : renderText(results));
    return results.ok ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions | undefined;
  try {
    options = parseBenchOptions(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${error.message}\n(npm run bench -- --help lists the options)\n`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!runsUnder(options.processEnv)) return rerunUnder(options.processEnv, argv);
  return run(options);
}

/** After cleanup nothing should keep the process alive; if a part left a handle open, exit anyway. */
function exitSoon(code: number): void {
  process.exitCode = code;
  setTimeout(() => {
    say('a handle stayed open after cleanup; exiting');
    process.exit(code);
  }, 3000).unref();
}

runBenchMain('bench', main, exitSoon);
