import {
  connectInflux,
  encodePoint,
  type InfluxV1Config,
  type LineWriter,
  READING,
} from '../influx/index.js';
import { BENCH_SENSORS, BENCH_STATION, gatewayId, syntheticTime } from './batches.js';
import { dropDatabase } from './bench-station.js';
import { type Distribution, distribution, perSecond } from './stats.js';

export interface BaselineRun {
  writers: number;
  writes: number;
  writesPerSecond: number;
  readingsPerSecond: number;
  /** Duration of one write request, as a writer sees it. */
  write: Distribution;
}

export interface BaselineOutcome {
  batch: number;
  serial: BaselineRun;
  concurrent: BaselineRun;
}

/** The lines the ingest would write for one message of `batch` readings, with unique timestamps. */
function lines(writer: number, batch: number, seq: number, originMs: number): string[] {
  const tags = {
    station: BENCH_STATION,
    gateway: gatewayId(writer),
    sensor: BENCH_SENSORS.load,
    quantity: 'load',
    unit: '1',
  };
  return Array.from({ length: batch }, (_, index) =>
    encodePoint({
      measurement: READING.name,
      tags,
      fields: { [READING.fields.value]: { float: index }, [READING.fields.qc]: { int: 1 } },
      timestamp: syntheticTime(originMs, batch, seq, index),
    }),
  );
}

async function measure(
  writer: LineWriter,
  writers: number,
  batch: number,
  seconds: number,
  originMs: number,
): Promise<BaselineRun> {
  const samples: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async (index: number): Promise<void> => {
    for (let seq = 1; performance.now() < deadline; seq++) {
      const body = lines(index, batch, seq, originMs);
      const before = performance.now();
      await writer.write(body, 'ms');
      samples.push(performance.now() - before);
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, index) => loop(index)));
  const elapsed = performance.now() - started;
  return {
    writers,
    writes: samples.length,
    writesPerSecond: perSecond(samples.length, elapsed),
    readingsPerSecond: perSecond(samples.length * batch, elapsed),
    write: distribution(samples),
  };
}

/**
 * InfluxDB alone, without MQTT: the same line-protocol requests the ingest makes (one per message
 * of `batch` readings), first one at a time as the ingest sends them, then from several writers at
 * once. Writes go to a separate database, dropped afterwards.
 */
export async function runInfluxBaseline(
  config: InfluxV1Config,
  batch: number,
  seconds: number,
  concurrentWriters: number,
): Promise<BaselineOutcome> {
  const baselineConfig: InfluxV1Config = { ...config, database: `${config.database}_baseline` };
  const influx = await connectInflux(baselineConfig);
  try {
    const serial = await measure(influx.writer, 1, batch, seconds, Date.now() - 4 * 86_400_000);
    const concurrent = await measure(
      influx.writer,
      concurrentWriters,
      batch,
      seconds,
      Date.now() - 6 * 86_400_000,
    );
    return { batch, serial, concurrent };
  } finally {
    await influx.writer.close();
    await dropDatabase(baselineConfig);
  }
}
