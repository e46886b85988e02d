import { BENCH_SENSORS } from './batches.js';
import type { WrittenListener } from './timed-writer.js';

// The ingest encodes tags sorted by key and the value field by name (influx/line-protocol.ts), so a
// probe's line carries `,sensor=probe,` and `value=<publish time>`.
const PROBE_TAG = `,sensor=${BENCH_SENSORS.probe},`;
const VALUE_FIELD = /[ ,]value=([-+0-9.eE]+)/;

/**
 * Publish-to-stored latency of each probe, read off the lines the ingest writes: a probe's value is
 * its publish time. "Stored" is the moment InfluxDB answered the ingest's write request with
 * success. The ingest writes the readings of many messages in one request, so every line is looked at.
 */
export class ProbeWrites {
  readonly latencies: number[] = [];

  readonly listener: WrittenListener = (lines, writtenAt) => {
    for (const line of lines) {
      if (!line.includes(PROBE_TAG)) continue;
      const match = VALUE_FIELD.exec(line);
      if (match?.[1] !== undefined) this.latencies.push(writtenAt - Number(match[1]));
    }
  };
}
