import { READINGS_VERSION, type ReadingInput, type ReadingsBatchInput } from '../protocol/index.js';

/**
 * The benchmark's sensors. Throughput readings go to `load`; in the latency phase each message's
 * first reading goes to `probe` (its value is the publish time), the rest to `filler`. Distinct
 * sensors are distinct series, so the phases can be counted and polled apart.
 */
export const BENCH_SENSORS = { load: 'load', probe: 'probe', filler: 'filler' } as const;
export const BENCH_STATION = 'bench';

const QUANTITY = 'load';
const UNIT = '1';

export function gatewayId(index: number): string {
  return `gw-${String(index + 1).padStart(3, '0')}`;
}

/**
 * Sample time of reading `index` of message `seq`: one millisecond apart per reading and gateway, so
 * no two readings of a series share a timestamp (InfluxDB would keep only one of them). It starts
 * days in the past, so every query that bounds time by now() sees them all.
 */
export function syntheticTime(originMs: number, batch: number, seq: number, index: number): number {
  return originMs + (seq - 1) * batch + index;
}

function reading(sensor: string, value: number, time: number): ReadingInput {
  return { sensor, quantity: QUANTITY, unit: UNIT, value, time, qc: 1 };
}

/** `{"sensor":"load","quantity":"load","unit":"1"` of every throughput reading, made by JSON.stringify once. */
const LOAD_READING_HEAD = JSON.stringify({
  sensor: BENCH_SENSORS.load,
  quantity: QUANTITY,
  unit: UNIT,
}).slice(0, -1);

/**
 * A throughput message: `batch` readings of `load`, the same text as JSON.stringify of the message
 * (a unit test holds it to that). Written out, because stringifying fifty objects per message took
 * more of the load process than publishing it, and the load shares the two cores it measures.
 */
export function loadBatch(originMs: number, batch: number, seq: number): string {
  let readings = '';
  for (let index = 0; index < batch; index++) {
    const time = syntheticTime(originMs, batch, seq, index);
    readings += `${index === 0 ? '' : ','}${LOAD_READING_HEAD},"value":${index},"time":${time},"qc":1}`;
  }
  return `{"v":${READINGS_VERSION},"seq":${seq},"readings":[${readings}]}`;
}

export interface Probe {
  /** The probe reading's sample time: the publish time in whole ms, strictly increasing per gateway. */
  time: number;
  /** Publish time in epoch ms with sub-ms resolution; stored as the probe's value. */
  sentAt: number;
}

/**
 * A latency message: the probe first, then `batch - 1` filler readings so the message has its full
 * size; without a probe, `batch` filler readings.
 */
export function probeBatch(originMs: number, batch: number, seq: number, probe: Probe | undefined): string {
  const readings: ReadingInput[] =
    probe === undefined ? [] : [reading(BENCH_SENSORS.probe, probe.sentAt, probe.time)];
  for (let index = readings.length; index < batch; index++) {
    readings.push(reading(BENCH_SENSORS.filler, index, syntheticTime(originMs, batch, seq, index)));
  }
  const message: ReadingsBatchInput = { v: READINGS_VERSION, seq, readings };
  return JSON.stringify(message);
}
