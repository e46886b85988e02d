import { BENCH_SENSORS } from './batches.js';
import type { WrittenListener } from './timed-writer.js';

// The ingest encodes tags sorted by key and the value field by name (influx/line-protocol.ts), so a
// probe's line carries `,sensor=probe,` and `value=<publish time>`.
const PROBE_TAG = `,sensor=${BENCH_SENSORS.probe},`;
const VALUE_FIELD = /[ ,]value=([-+0-9.eE]+)/;

/**
 * Publish-to-stored latency of each probe, read off the lines the ingest writes: the probe is the
 * first reading of its message, and its value is its publish time. "Stored" is the moment InfluxDB
 * answered the ingest's write request with success.
 */
export class ProbeWrites {
  readonly latencies: number[] = [];

  readonly listener: WrittenListener = (lines, writtenAt) => {
    const first = lines[0];
    if (first === undefined || !first.includes(PROBE_TAG)) return;
    const match = VALUE_FIELD.exec(first);
    if (match?.[1] !== undefined) this.latencies.push(writtenAt - Number(match[1]));
  };
}
