// How much memory a gateway needs: each reference gateway of config/ runs as its own
// `fieldstation gateway` process against its emulated instruments (virtual serial cables, growing
// TOA5 files) and a broker in this process; its resident memory is sampled from /proc every second.
// The goal is a small Pi: under 60 MB resident.
//
//   npm run bench:gateway-memory -- --seconds 600
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { BrokerServer, provisionAccount } from '../broker/index.js';
import { startEmulatedStations } from '../emulators/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FROM_SOURCES = import.meta.url.endsWith('.ts');
// Built, this is dist/bench/gateway-memory.js beside dist/cli/main.js; the repo root holds config/.
const ROOT = resolve(HERE, '..', FROM_SOURCES ? '' : '..');
const CLI_ENTRY = join(resolve(HERE, '..'), 'cli', FROM_SOURCES ? 'main.ts' : 'main.js');
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

interface MemorySample {
  residentKb: number;
  peakKb: number;
}

/** VmRSS (resident now) and VmHWM (the most it was resident) of a process, from the kernel. */
async function memoryOf(pid: number): Promise<MemorySample | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  if (status === undefined) return undefined;
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { residentKb: field('VmRSS'), peakKb: field('VmHWM') };
}

function startGateway(configFile: string): ChildProcess {
  const args = FROM_SOURCES ? ['--import', 'tsx', CLI_ENTRY] : [CLI_ENTRY];
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('FS_')));
  return spawn(process.execPath, [...args, 'gateway', '--config', configFile], {
    env: { ...env, FS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const mb = (kb: number) => (kb / 1024).toFixed(1);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '600' } } });
  const seconds = Number(values.seconds);
  const dir = await mkdtemp(join(tmpdir(), 'fs-gateway-memory-'));
  const credentialsFile = join(dir, 'accounts.json');
  const broker = new BrokerServer({
    config: { host: '127.0.0.1', port: 0, credentialsFile },
    logger: pino({ level: 'silent' }),
  });
  const children: ChildProcess[] = [];
  try {
    const { port } = await broker.start();
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
    try {
      for (const configFile of stations.configFiles) children.push(startGateway(configFile));
      const samples = children.map(() => [] as MemorySample[]);
      for (let second = 0; second < seconds; second += 1) {
        await new Promise((done) => setTimeout(done, 1000));
        for (const [index, child] of children.entries()) {
          const sample = child.pid === undefined ? undefined : await memoryOf(child.pid);
          if (sample !== undefined) samples[index]?.push(sample);
        }
      }
      console.log(`gateway memory after ${seconds} s (goal: under ${GOAL_MB} MB resident)`);
      for (const [index, configFile] of stations.configFiles.entries()) {
        const taken = samples[index] ?? [];
        const last = taken.at(-1);
        if (last === undefined) {
          console.log(`${configFile}: no sample (the gateway exited)`);
          continue;
        }
        const resident = taken.map((sample) => sample.residentKb).sort((a, b) => a - b);
        const median = resident[Math.floor(resident.length / 2)] ?? NaN;
        const verdict = last.residentKb < GOAL_MB * 1024 ? 'ok' : 'over the goal';
        console.log(
          `${REFERENCE_GATEWAYS[index]?.configFile ?? configFile}: resident ${mb(last.residentKb)} MB at the end, median ${mb(median)} MB, peak ${mb(last.peakKb)} MB: ${verdict}`,
        );
      }
    } finally {
      for (const child of children) {
        child.kill('SIGTERM');
        if (child.exitCode === null) await once(child, 'exit');
      }
      await stations.stop();
    }
  } finally {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
