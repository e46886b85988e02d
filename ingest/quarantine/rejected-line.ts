import { GATEWAY_TAGS, type InfluxError } from '../../influx/index.js';
import { gatewayTopic } from '../../protocol/index.js';
import { buildQuarantineRecord, type QuarantineRecord } from './quarantine-record.js';

/** Tag values are slugs here, so they need no unescaping; anything else is not ours to guess. */
const TAG = (key: string) => new RegExp(`,${key}=([a-z0-9][a-z0-9-]{0,62})(?=[, ])`);

/**
 * The quarantine record of a spooled line InfluxDB refused for its content (a field type conflict,
 * say), found by splitting its batch. The message it came from was acknowledged long ago, so the
 * record names the gateway's topic from the line's own tags and keeps the line as its payload.
 */
export function rejectedLineRecord(line: string, error: InfluxError, receivedAt: number): QuarantineRecord {
  const station = TAG(GATEWAY_TAGS.station).exec(line)?.[1];
  const gateway = TAG(GATEWAY_TAGS.gateway).exec(line)?.[1];
  const address = station !== undefined && gateway !== undefined ? { station, gateway } : undefined;
  const measurement = line.slice(0, line.search(/[, ]/));
  return buildQuarantineRecord({
    receivedAt,
    topic: address === undefined ? `(spooled ${measurement} point)` : gatewayTopic(address, 'readings'),
    payload: Buffer.from(line),
    code: 'WRITE_REJECTED',
    reason: error.message,
    ...(address === undefined ? {} : { address }),
  });
}
