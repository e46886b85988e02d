import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePoint, InfluxQueryClient, LocalInfluxd, quoteIdentifier, READING } from '../influx/index.js';
import { BENCH_SENSORS, BENCH_STATION, gatewayId } from './batches.js';
import { type Distribution, distribution, perSecond } from './stats.js';

/** The shape issue 11 measures InfluxDB alone with (as /work/shared/peers/influx-write.mjs does). */
export const INFLUX_ALONE_SHAPE = { points: 1_000_000, batch: 5_000, writers: 2 } as const;

/** Series like the pipeline bench's: one per gateway of 20. */
const GATEWAYS = 20;
const DAY_MS = 86_400_000;

export interface InfluxAloneShape {
  points: number;
  /** Lines per /write request. */
  batch: number;
  /** Requests in flight at once. */
  writers: number;
}

export interface InfluxAloneOutcome extends InfluxAloneShape {
  influxdb: string;
  /** From the first request until the last answer; serialization is done before. */
  seconds: number;
  pointsPerSecond: number;
  /** Duration of one /write request, as a writer sees it. */
  write: Distribution;
}

/** Request bodies of `batch` lines each, as the ingest encodes readings, built before timing starts. */
function bodies(shape: InfluxAloneShape, originMs: number): string[] {
  const result: string[] = [];
  for (let start = 0; start < shape.points; start += shape.batch) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(start + shape.batch, shape.points); i++) {
      const tags = {
        station: BENCH_STATION,
        gateway: gatewayId(i % GATEWAYS),
        sensor: BENCH_SENSORS.load,
        quantity: 'load',
        unit: '1',
      };
      const fields = { [READING.fields.value]: { float: i % 1000 }, [READING.fields.qc]: { int: 1 } };
      lines.push(encodePoint({ measurement: READING.name, tags, fields, timestamp: originMs + i }));
    }
    result.push(`${lines.join('\n')}\n`);
  }
  return result;
}

async function post(url: string, database: string, body: string): Promise<void> {
  const query = new URLSearchParams({ db: database, precision: 'ms' });
  const response = await fetch(`${url}/write?${query}`, { method: 'POST', body });
  const text = await response.text();
  if (response.status !== 204) throw new Error(`InfluxDB answered ${response.status} to a write: ${text}`);
}

/** Writes pre-serialized bodies from `writers` concurrent loops and times them. */
async function writeAll(
  url: string,
  database: string,
  shape: InfluxAloneShape,
): Promise<Omit<InfluxAloneOutcome, 'influxdb'>> {
  const queue = bodies(shape, Date.now() - 10 * DAY_MS);
  const samples: number[] = [];
  let next = 0;
  const writer = async (): Promise<void> => {
    for (let body = queue[next++]; body !== undefined; body = queue[next++]) {
      const before = performance.now();
      await post(url, database, body);
      samples.push(performance.now() - before);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: shape.writers }, writer));
  const elapsed = performance.now() - started;
  return {
    ...shape,
    seconds: elapsed / 1000,
    pointsPerSecond: perSecond(shape.points, elapsed),
    write: distribution(samples),
  };
}

interface Target {
  url: string;
  stop: () => Promise<void>;
}

async function startTarget(influxUrl: string | undefined, dir: string): Promise<Target> {
  if (influxUrl !== undefined) return { url: influxUrl, stop: async () => {} };
  const influxd = new LocalInfluxd({ dir: join(dir, 'influxdb') });
  try {
    return { url: await influxd.start(), stop: () => influxd.stop() };
  } catch (error) {
    await influxd.stop();
    throw error;
  }
}

/**
 * InfluxDB alone: pre-serialized line protocol straight to /write, no MQTT, no ingest. On `influxUrl`
 * (a throw-away database, dropped afterwards) or on a private influxd started and stopped here.
 */
export async function measureInfluxAlone(
  shape: InfluxAloneShape,
  influxUrl: string | undefined,
): Promise<InfluxAloneOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'fs-bench-alone-'));
  const database = `bench_alone_${randomBytes(4).toString('hex')}`;
  try {
    const target = await startTarget(influxUrl, dir);
    try {
      const client = new InfluxQueryClient({ url: target.url }, database);
      const { version } = await client.ping();
      await client.execute(`CREATE DATABASE ${quoteIdentifier(database)}`);
      try {
        return { influxdb: version, ...(await writeAll(target.url, database, shape)) };
      } finally {
        await client.execute(`DROP DATABASE ${quoteIdentifier(database)}`);
      }
    } finally {
      await target.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
