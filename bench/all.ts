/**
 * `npm run bench`: in one run, one after the other so they never share the machine: InfluxDB alone
 * (5,000-line requests, 2 writers), the pipeline benchmark with one reading per message and with 50
 * (each in a process of its own, so each has its own peak RSS), the ingest's own peak RSS under the
 * one-reading load (split-memory.ts; not with --json), optionally the Node-RED peer, the broker
 * benchmark, and a summary table of them all. With --json everything is printed as one
 * document: {"influxAlone", "pipeline": {"oneReading", "fiftyReadings"}, "peer", "broker", "summary"}.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ALL_USAGE,
  type AllOptions,
  PIPELINE_SHAPES,
  type PipelineShape,
  parseAllOptions,
} from './all-options.js';
import { runBenchMain } from './bench-main.js';
import { INFLUX_ALONE_SHAPE, type InfluxAloneOutcome, measureInfluxAlone } from './influx-alone.js';
import { BenchUsageError } from './options.js';
import { type PeerOutcome, runNodeRedPeer } from './peers.js';
import { renderInfluxAlone, renderSummary } from './render-summary.js';
import { type PipelineResults, PipelineResultsSchema, summarize } from './summary.js';

interface Outcome {
  code: number;
  stdout: string;
}

function say(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function runScript(script: string, args: readonly string[], capture: boolean): Promise<Outcome> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [path, ...args], {
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal === null ? 1 : 128), stdout }));
  });
}

interface ShapeRun {
  shape: PipelineShape;
  code: number;
  /** The results file as written (for --json), and the part the summary reads. */
  document: unknown;
  results: PipelineResults | undefined;
}

async function runShape(shape: PipelineShape, options: AllOptions, dir: string): Promise<ShapeRun> {
  const file = join(dir, `${shape.key}.json`);
  const args = [...shape.args, '--broker-store', options.brokerStore];
  if (options.influxUrl !== undefined) args.push('--influx-url', options.influxUrl);
  say(`pipeline, ${shape.label}: node dist/bench/pipeline.js ${args.join(' ')}`);
  const { code } = await runScript('./pipeline.js', [...args, '--results-file', file], options.json);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const document: unknown = text === undefined ? null : JSON.parse(text);
  const parsed = PipelineResultsSchema.safeParse(document);
  return { shape, code, document, results: parsed.success ? parsed.data : undefined };
}

async function influxAlone(options: AllOptions): Promise<InfluxAloneOutcome | undefined> {
  say('InfluxDB alone');
  try {
    const alone = await measureInfluxAlone(INFLUX_ALONE_SHAPE, options.influxUrl);
    if (!options.json) process.stdout.write(`${renderInfluxAlone(alone)}\n`);
    return alone;
  } catch (error) {
    say(`InfluxDB alone failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function run(options: AllOptions): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'fs-bench-all-'));
  try {
    const alone = await influxAlone(options);
    const shapes: ShapeRun[] = [];
    for (const shape of PIPELINE_SHAPES) {
      shapes.push(await runShape(shape, options, dir));
      if (!options.json) process.stdout.write('\n');
    }
    // The pipeline's process holds broker and ingest together, as `up` does; issue 11 asks for the
    // ingest's own peak RSS, which only a run with the two as processes of their own can show.
    let split: Outcome | undefined;
    if (!options.json) {
      say('the ingest alone: fieldstation broker and fieldstation ingest as processes of their own');
      split = await runScript('./split-memory.js', [], false);
      process.stdout.write('\n');
    }
    let peer: PeerOutcome | undefined;
    if (options.peers) {
      say('Node-RED peer (nodered-ingest.sh; installs Node-RED into /tmp on first use)');
      peer = await runNodeRedPeer();
    }
    say('broker');
    const broker = await runScript('./broker.js', options.json ? ['--json'] : [], options.json);
    const summary = summarize(alone, shapes);
    if (options.json) {
      const pipeline = Object.fromEntries(shapes.map((shape) => [shape.shape.key, shape.document]));
      const brokerDocument: unknown = broker.stdout.trim() === '' ? null : JSON.parse(broker.stdout);
      const document = {
        influxAlone: alone ?? null,
        pipeline,
        peer: peer ?? null,
        broker: brokerDocument,
        summary,
      };
      process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      process.stdout.write(`\n${renderSummary(summary, options.brokerStore, peer)}`);
    }
    const failed = [
      alone === undefined ? 1 : 0,
      ...shapes.map((shape) => shape.code),
      split?.code ?? 0,
      broker.code,
    ];
    return failed.find((code) => code !== 0) ?? 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let options: AllOptions | undefined;
  try {
    options = parseAllOptions(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${error.message}\n(npm run bench -- --help lists the options)\n`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(`${ALL_USAGE}\n`);
    return 0;
  }
  return run(options);
}

runBenchMain('bench', main);
