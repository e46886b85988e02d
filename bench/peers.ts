import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { freePort, LocalInfluxd } from '../influx/index.js';
import { startMosquitto } from './broker/brokers.js';

/** Where the peer scripts live (outside this repository, so `--peers` is opt-in). */
const PEERS_DIR = process.env.FIELDSTATION_PEERS ?? '/work/shared/peers';

export interface PeerOutcome {
  readingsPerSecond: number | undefined;
  peakRssBytes: number | undefined;
  /** What ran, or why it did not. */
  detail: string;
}

const median = z.object({ median: z.number() });

/** The one JSON line nodered-ingest.sh prints (the fields used here). */
const NodeRedReportSchema = z.object({
  node_red: z.string(),
  total: z.number(),
  publishers: z.number(),
  batch: z.number(),
  pts_per_s: median,
  lost: median,
  rss_peak_mb: median,
});

/** mosq.conf's settings apart from its listener and anonymous access, which startMosquitto sets. */
async function mosquittoSettings(): Promise<string[]> {
  const text = await readFile(join(PEERS_DIR, 'mosq.conf'), 'utf8');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(listener|allow_anonymous)\b/.test(line));
}

async function runScript(influxUrl: string, mqttPort: number): Promise<string> {
  const script = join(PEERS_DIR, 'nodered', 'nodered-ingest.sh');
  const child = spawn('bash', [script, influxUrl, String(mqttPort), 'batch'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUNS: '1', NR_PORT: String(await freePort()) },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`nodered-ingest.sh exited with code ${code}`);
  return stdout.trim().split('\n').at(-1) ?? '';
}

/**
 * The Node-RED peer (mqtt in -> join -> influxdb batch, one reading per message) on a mosquitto
 * configured from the peers' mosq.conf on a free port and a private influxd, both stopped afterwards.
 */
export async function runNodeRedPeer(): Promise<PeerOutcome> {
  if (!existsSync(join(PEERS_DIR, 'nodered', 'nodered-ingest.sh'))) {
    return { readingsPerSecond: undefined, peakRssBytes: undefined, detail: `not run: no ${PEERS_DIR}` };
  }
  const dir = await mkdtemp(join(tmpdir(), 'fs-bench-peer-'));
  const influxd = new LocalInfluxd({ dir: join(dir, 'influxdb') });
  try {
    const broker = await startMosquitto(dir, await mosquittoSettings());
    try {
      const report = NodeRedReportSchema.parse(
        JSON.parse(await runScript(await influxd.start(), broker.port)),
      );
      return {
        readingsPerSecond: report.pts_per_s.median,
        peakRssBytes: report.rss_peak_mb.median * 1048576,
        detail:
          `Node-RED ${report.node_red}, mqtt in -> join ${report.batch} -> influxdb batch, ` +
          `${report.publishers} publishers, ${report.total} messages of one reading, ${report.lost.median} lost; ` +
          "peak RSS of the Node-RED process alone (its script's figure)",
      };
    } finally {
      await broker.stop();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { readingsPerSecond: undefined, peakRssBytes: undefined, detail: `failed: ${message}` };
  } finally {
    await influxd.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
