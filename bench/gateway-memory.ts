// How much memory a gateway needs: each reference gateway of config/ runs as its own process,
// started as its systemd unit starts it (the bundle in dist/gateway/, the same Node.js options), against
// its emulated instruments (virtual serial cables, growing TOA5 files) and a broker in this process;
// its memory and CPU time are sampled from /proc every second, and what it publishes is counted.
// The goal is a small Pi: under 60 MB resident.
//
//   npm run bench:gateway-memory -- --seconds 600
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { BrokerServer, provisionAccount } from '../broker/index.js';
import { startEmulatedStations } from '../emulators/index.js';
import { GATEWAY_NODE_FLAGS, loadGatewayConfig } from '../firmware-bridge/index.js';
import { runBenchMain } from './bench-main.js';
import {
  GATEWAY_MEMORY_USAGE,
  type GatewayMemoryOptions,
  parseGatewayMemoryOptions,
} from './gateway-memory-options.js';
import { BenchUsageError } from './options.js';
import { type ProcessSample, sampleProcess } from './process-sample.js';
import { type GatewayTally, ReadingsTally } from './readings-tally.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FROM_SOURCES = import.meta.url.endsWith('.ts');
// Built, this is dist/bench/gateway-memory.js beside dist/gateway/, the bundle the unit runs; the
// repo root holds config/. From the sources (tsx) the gateway runs unbundled, which needs more memory.
const ROOT = resolve(HERE, '..', FROM_SOURCES ? '' : '..');
const GATEWAY_ENTRY = FROM_SOURCES
  ? ['--import', 'tsx', join(ROOT, 'cli', 'gateway-main.ts')]
  : [join(resolve(HERE, '..'), 'gateway', 'main.js')];
const GOAL_MB = 60;

const REFERENCE_GATEWAYS = [
  {
    configFile: join(ROOT, 'config', 'jinfo-cave-gw.yaml'),
    signalsFile: join(ROOT, 'config', 'simulate', 'jinfo.yaml'),
  },
  {
    configFile: join(ROOT, 'config', 'xuefeng-line-gw.yaml'),
    signalsFile: join(ROOT, 'config', 'simulate', 'xuefeng.yaml'),
  },
];

interface GatewayMemory {
  config: string;
  /** Resident, its anonymous and file-backed parts, at the end; MB. */
  residentMb: number;
  anonymousMb: number;
  fileMb: number;
  medianResidentMb: number;
  peakResidentMb: number;
  /** CPU time over the run, per second of it. */
  cpuPercent: number;
  /** What it published: a gateway that read nothing proves nothing about its size. */
  published: GatewayTally;
  /** Sensors of its config that published nothing. */
  unheard: string[];
  withinGoal: boolean;
}

interface GatewayMemoryResults {
  seconds: number;
  nodeFlags: readonly string[];
  goalMb: number;
  gateways: (GatewayMemory | { config: string; exited: true })[];
}

function startGateway(configFile: string, nodeFlags: readonly string[]): ChildProcess {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('FS_')));
  return spawn(process.execPath, [...nodeFlags, ...GATEWAY_ENTRY, '--config', configFile], {
    env: { ...env, FS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

function summarise(
  config: string,
  samples: readonly ProcessSample[],
  seconds: number,
  heard: { published: GatewayTally; unheard: string[] },
): GatewayMemory | undefined {
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const resident = samples.map((sample) => sample.residentKb).sort((a, b) => a - b);
  return {
    config,
    residentMb: mb(last.residentKb),
    anonymousMb: mb(last.anonymousKb),
    fileMb: mb(last.fileKb),
    medianResidentMb: mb(resident[Math.floor(resident.length / 2)] ?? Number.NaN),
    peakResidentMb: mb(last.peakKb),
    cpuPercent: Math.round(((last.cpuSeconds - first.cpuSeconds) / seconds) * 1000) / 10,
    ...heard,
    withinGoal: last.residentKb < GOAL_MB * 1024,
  };
}

function render(results: GatewayMemoryResults): string {
  const flags = results.nodeFlags.length === 0 ? 'none' : results.nodeFlags.join(' ');
  const lines = [
    `gateway memory after ${results.seconds} s (goal: under ${results.goalMb} MB resident; Node.js options: ${flags})`,
  ];
  for (const gateway of results.gateways) {
    if ('exited' in gateway) {
      lines.push(`${gateway.config}: no sample (the gateway exited)`);
      continue;
    }
    lines.push(
      `${gateway.config}: resident ${gateway.residentMb} MB at the end (${gateway.anonymousMb} anonymous + ${gateway.fileMb} mapped files), ` +
        `median ${gateway.medianResidentMb} MB, peak ${gateway.peakResidentMb} MB, CPU ${gateway.cpuPercent}%: ` +
        (gateway.withinGoal ? 'ok' : 'over the goal'),
      `  published ${gateway.published.readings} readings from ${gateway.published.sensors.length} sensors` +
        (gateway.unheard.length > 0 ? `; nothing yet from ${gateway.unheard.join(', ')}` : '') +
        (gateway.published.refused > 0 ? `; ${gateway.published.refused} payloads the contract refuses` : ''),
    );
  }
  return `${lines.join('\n')}\n`;
}

async function measure(options: GatewayMemoryOptions, dir: string): Promise<GatewayMemoryResults> {
  const nodeFlags = options.nodeFlags ?? GATEWAY_NODE_FLAGS;
  const credentialsFile = join(dir, 'accounts.json');
  const broker = new BrokerServer({
    config: { host: '127.0.0.1', port: 0, credentialsFile },
    logger: pino({ level: 'silent' }),
  });
  const children: ChildProcess[] = [];
  let tally: ReadingsTally | undefined;
  try {
    // Provisioned before the broker reads the file; the gateways' accounts come later, by its reload.
    const benchAccount = await provisionAccount(credentialsFile, { kind: 'service', name: 'bench' });
    const { port } = await broker.start();
    const counted = await ReadingsTally.start(`mqtt://127.0.0.1:${port}`, benchAccount);
    tally = counted;
    const stations = await startEmulatedStations({
      gateways: REFERENCE_GATEWAYS,
      dir,
      mqtt: async (station, gateway) => {
        const { username, password } = await provisionAccount(credentialsFile, {
          kind: 'gateway',
          station,
          gateway,
        });
        return { url: `mqtt://127.0.0.1:${port}`, username, password };
      },
    });
    const configs = await Promise.all(stations.configFiles.map((file) => loadGatewayConfig(file)));
    try {
      for (const configFile of stations.configFiles) children.push(startGateway(configFile, nodeFlags));
      const samples = children.map(() => [] as ProcessSample[]);
      for (let second = 0; second < options.seconds; second += 1) {
        await sleep(1000);
        for (const [index, child] of children.entries()) {
          const sample = child.pid === undefined ? undefined : await sampleProcess(child.pid);
          if (sample !== undefined) samples[index]?.push(sample);
        }
      }
      return {
        seconds: options.seconds,
        nodeFlags,
        goalMb: GOAL_MB,
        gateways: REFERENCE_GATEWAYS.map(({ configFile }, index) => {
          const config = configFile.slice(ROOT.length + 1);
          const gateway = configs[index];
          const published = counted.of(gateway?.station ?? '', gateway?.gateway ?? '');
          const heard = {
            published,
            unheard: (gateway?.sensors ?? [])
              .map((sensor) => sensor.id)
              .filter((id) => !published.sensors.includes(id)),
          };
          return (
            summarise(config, samples[index] ?? [], options.seconds, heard) ?? {
              config,
              exited: true as const,
            }
          );
        }),
      };
    } finally {
      for (const child of children) {
        child.kill('SIGTERM');
        if (child.exitCode === null) await once(child, 'exit');
      }
      await stations.stop();
    }
  } finally {
    await tally?.stop();
    await broker.stop();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let options: GatewayMemoryOptions | undefined;
  try {
    options = parseGatewayMemoryOptions(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${error.message}\n(npm run bench:gateway-memory -- --help lists the options)\n`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(`${GATEWAY_MEMORY_USAGE}\n`);
    return 0;
  }
  const dir = await mkdtemp(join(tmpdir(), 'fs-gateway-memory-'));
  try {
    const results = await measure(options, dir);
    process.stdout.write(options.json ? `${JSON.stringify(results, null, 2)}\n` : render(results));
    // Over the goal is a result; a gateway that died or published nothing is a failed measurement.
    // (A short run may end before a sensor's first interval: those are listed, not failed.)
    const measured = results.gateways.every(
      (gateway) => !('exited' in gateway) && gateway.published.readings > 0,
    );
    return measured ? 0 : 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runBenchMain('bench:gateway-memory', main);
