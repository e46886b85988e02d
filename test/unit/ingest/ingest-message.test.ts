import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { InfluxError, type LineWriter, type Precision } from '../../../influx/index.js';
import { AlertEngine } from '../../../ingest/alerts/alert-engine.js';
import { AlertPublisher } from '../../../ingest/alerts/alert-publisher.js';
import { AlertRuleSchema } from '../../../ingest/alerts/alert-rule.js';
import { MessageIngestor } from '../../../ingest/pipeline/ingest-message.js';
import { RetryPolicySchema } from '../../../ingest/pipeline/retry-delay.js';
import { SequenceTracker } from '../../../ingest/sequence/sequence-tracker.js';

const logger = pino({ level: 'silent' });
const retry = RetryPolicySchema.parse({ initialDelayMs: 1, maxDelayMs: 2, jitter: 0 });
const TOPIC = 'fs/v1/jinfo/gw-1/readings';
const batch = (seq: number, value = 1): Buffer =>
  Buffer.from(
    JSON.stringify({
      v: 1,
      seq,
      readings: [{ sensor: 's1', quantity: 'co2', unit: '[ppm]', value, time: 1764194400000 + seq }],
    }),
  );

/** Records writes; refuses `reading` lines while `rejectReadings` is set, as a field type conflict would. */
class RecordingWriter implements LineWriter {
  readonly writes: { lines: readonly string[]; precision: Precision }[] = [];
  rejectReadings = false;
  crashOnReadings = false;
  async write(lines: readonly string[], precision: Precision): Promise<void> {
    if (this.crashOnReadings && lines[0]?.startsWith('reading,')) throw new TypeError('unexpected bug');
    if (this.rejectReadings && lines[0]?.startsWith('reading,')) {
      throw new InfluxError('INFLUX_WRITE_REJECTED', 'write: HTTP 400 field type conflict', false, 400);
    }
    this.writes.push({ lines, precision });
  }
  async close(): Promise<void> {}
}

function setup() {
  const writer = new RecordingWriter();
  const sequences = new SequenceTracker();
  const signal = new AbortController().signal;
  const published: string[] = [];
  const publisher = new AlertPublisher({
    writer,
    logger,
    retry,
    signal,
    publish: async (topic, payload) => {
      published.push(`${topic} ${JSON.parse(payload).state}`);
    },
  });
  const rule = AlertRuleSchema.parse({
    id: 'co2-high',
    station: 'jinfo',
    quantity: 'co2',
    op: 'above',
    threshold: 100,
  });
  const alerts = { engine: new AlertEngine([rule]), publisher };
  const ingestor = new MessageIngestor({
    writer,
    logger,
    retry,
    signal,
    sequences,
    alerts,
    now: () => 1764194500000,
  });
  return { writer, sequences, ingestor, publisher, published };
}

describe('MessageIngestor', () => {
  it('stores a batch in ms precision and counts it', async () => {
    const { writer, ingestor, sequences } = setup();
    await ingestor.ingest(TOPIC, batch(1));
    expect(writer.writes).toEqual([
      { lines: [expect.stringMatching(/^reading,gateway=gw-1,/)], precision: 'ms' },
    ]);
    expect(ingestor.counters).toMatchObject({ messages: 1, readingsWritten: 1, writeRetries: 0 });
    expect(sequences.snapshot({ station: 'jinfo', gateway: 'gw-1' })).toMatchObject({
      messages: 1,
      lastSeq: 1,
    });
  });

  it('quarantines a message whose storing fails unexpectedly, so it cannot stall the queue', async () => {
    const { writer, ingestor } = setup();
    writer.crashOnReadings = true;
    await ingestor.ingest(TOPIC, batch(1));
    expect(writer.writes[0]?.lines[0]).toMatch(
      /^quarantine,code=INGEST_FAILED,station=jinfo .*reason="unexpected bug"/,
    );
    expect(ingestor.counters).toMatchObject({ readingsWritten: 0, quarantined: { INGEST_FAILED: 1 } });
  });

  it('quarantines a message InfluxDB rejects for good, and resolves so it is acknowledged', async () => {
    const { writer, ingestor } = setup();
    writer.rejectReadings = true;
    await ingestor.ingest(TOPIC, batch(1));
    expect(writer.writes).toHaveLength(1);
    expect(writer.writes[0]?.precision).toBe('ns');
    expect(writer.writes[0]?.lines[0]).toMatch(
      /^quarantine,code=WRITE_REJECTED,station=jinfo .*reason="write: HTTP 400 field type conflict"/,
    );
    expect(ingestor.counters).toMatchObject({ readingsWritten: 0, quarantined: { WRITE_REJECTED: 1 } });
  });

  it('quarantines an undecodable message with its code', async () => {
    const { writer, ingestor } = setup();
    await ingestor.ingest(TOPIC, Buffer.from('not json'));
    expect(writer.writes[0]?.lines[0]).toMatch(/^quarantine,code=PAYLOAD_NOT_JSON,station=jinfo /);
    expect(ingestor.counters.quarantined).toEqual({ PAYLOAD_NOT_JSON: 1 });
  });

  it('evaluates alerts after storing and publishes each transition with its history point', async () => {
    const { writer, ingestor, publisher, published } = setup();
    await ingestor.ingest(TOPIC, batch(1, 150));
    await ingestor.ingest(TOPIC, batch(2, 160));
    await ingestor.ingest(TOPIC, batch(3, 50));
    expect(await publisher.drain(1000)).toBe(true);
    expect(published).toEqual(['fs/v1/alerts/jinfo/co2-high firing', 'fs/v1/alerts/jinfo/co2-high clear']);
    const history = writer.writes
      .flatMap((write) => write.lines)
      .filter((line) => line.startsWith('alert_event,'));
    expect(history).toHaveLength(2);
    expect(history[0]).toMatch(
      /^alert_event,rule=co2-high,severity=warning,state=firing,station=jinfo message="/,
    );
    expect(ingestor.counters.alertsFired).toBe(1);
  });
});
