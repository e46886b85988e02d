import { type Logger, pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { errorForStatus, InfluxError, type LineWriter, type Precision } from '../../../influx/index.js';
import { AlertEngine } from '../../../ingest/alerts/alert-engine.js';
import { AlertPublisher } from '../../../ingest/alerts/alert-publisher.js';
import { AlertRuleSchema } from '../../../ingest/alerts/alert-rule.js';
import { MessageIngestor } from '../../../ingest/pipeline/ingest-message.js';
import { RetryPolicySchema } from '../../../ingest/pipeline/retry-delay.js';
import { StoreAbortedError } from '../../../ingest/pipeline/store-batch.js';
import { SequenceTracker } from '../../../ingest/sequence/sequence-tracker.js';
import type { HealthInput } from '../../../protocol/index.js';
import { LogRecorder } from '../../harness/log-recorder.js';

const logger = pino({ level: 'silent' });
const retry = RetryPolicySchema.parse({ initialDelayMs: 1, maxDelayMs: 2, jitter: 0 });
const TOPIC = 'fs/v1/jinfo/gw-1/readings';
const HEALTH_TOPIC = 'fs/v1/jinfo/gw-1/health';
const STATUS_TOPIC = 'fs/v1/jinfo/gw-1/status';
const message = (topic: string, payload: Uint8Array, retained = false) => ({ topic, payload, retained });
const health: HealthInput = {
  v: 1,
  time: 1764194400000,
  uptimeS: 60,
  outbox: { pendingMessages: 0, diskBytes: 0, droppedMessages: 4, droppedReadings: 32 },
  published: { messages: 10, readings: 80 },
  sensors: [{ sensor: 's1', samples: 80, errors: 1, lastError: 'timeout' }],
};
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
  /** Thrown by every write while set, as a changed password or a dropped database would. */
  blockedBy: InfluxError | undefined;
  /** Thrown by the next writes, one each, whatever they carry. */
  readonly failures: InfluxError[] = [];
  attempts = 0;
  async write(lines: readonly string[], precision: Precision): Promise<void> {
    this.attempts++;
    if (this.blockedBy) throw this.blockedBy;
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (this.crashOnReadings && lines[0]?.startsWith('reading,')) throw new TypeError('unexpected bug');
    if (this.rejectReadings && lines[0]?.startsWith('reading,')) {
      throw new InfluxError('INFLUX_WRITE_REJECTED', 'write: HTTP 400 field type conflict', false, 400);
    }
    this.writes.push({ lines, precision });
  }
  async close(): Promise<void> {}
}

function setup(log: Logger = logger) {
  const logger = log;
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
  return { writer, sequences, ingestor, publisher, published, engine: alerts.engine };
}

describe('MessageIngestor', () => {
  it('stores a batch in ms precision and counts it', async () => {
    const { writer, ingestor, sequences } = setup();
    await ingestor.ingest(message(TOPIC, batch(1)));
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
    await ingestor.ingest(message(TOPIC, batch(1)));
    expect(writer.writes[0]?.lines[0]).toMatch(
      /^quarantine,code=INGEST_FAILED,station=jinfo .*reason="unexpected bug"/,
    );
    expect(ingestor.counters).toMatchObject({ readingsWritten: 0, quarantined: { INGEST_FAILED: 1 } });
  });

  it('quarantines a message InfluxDB rejects for good, and resolves so it is acknowledged', async () => {
    const { writer, ingestor } = setup();
    writer.rejectReadings = true;
    await ingestor.ingest(message(TOPIC, batch(1)));
    expect(writer.writes).toHaveLength(1);
    expect(writer.writes[0]?.precision).toBe('ns');
    expect(writer.writes[0]?.lines[0]).toMatch(
      /^quarantine,code=WRITE_REJECTED,station=jinfo .*reason="write: HTTP 400 field type conflict"/,
    );
    expect(ingestor.counters).toMatchObject({ readingsWritten: 0, quarantined: { WRITE_REJECTED: 1 } });
  });

  it('quarantines a 20,000-level nested payload as PAYLOAD_TOO_DEEP and resolves', async () => {
    const { writer, ingestor } = setup();
    const nested = `{"v":${'['.repeat(20_000)}1${']'.repeat(20_000)},"seq":1,"readings":[]}`;
    await ingestor.ingest(message(TOPIC, Buffer.from(nested)));
    expect(writer.writes[0]?.lines[0]).toMatch(/^quarantine,code=PAYLOAD_TOO_DEEP,station=jinfo /);
    expect(ingestor.counters.quarantined).toEqual({ PAYLOAD_TOO_DEEP: 1 });
  });

  it('bounds the stored reason when the payload quotes a huge value', async () => {
    const { writer, ingestor } = setup();
    await ingestor.ingest(message(TOPIC, Buffer.from(JSON.stringify({ v: 'x'.repeat(1_000_000), seq: 1 }))));
    const line = writer.writes[0]?.lines[0] ?? '';
    expect(line).toMatch(/^quarantine,code=VERSION_UNSUPPORTED,/);
    const reason = /reason="((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? '';
    expect(reason.length).toBeLessThanOrEqual(1000);
    expect(line.length).toBeLessThan(12_000);
  });

  it('stores the last of readings that share sensor, quantity, unit and time, and counts the rest as conflicts', async () => {
    const { writer, ingestor, sequences } = setup();
    const reading = { sensor: 's1', quantity: 'co2', unit: '[ppm]', time: 1764194400000 };
    const payload = {
      v: 1,
      seq: 1,
      readings: [
        { ...reading, value: 1 },
        { ...reading, sensor: 's2', value: 5 },
        { ...reading, value: 2 },
        { ...reading, value: 3 },
      ],
    };
    await ingestor.ingest(message(TOPIC, Buffer.from(JSON.stringify(payload))));
    expect(writer.writes[0]?.lines).toEqual([
      expect.stringMatching(/sensor=s2,.* value=5,/),
      expect.stringMatching(/sensor=s1,.* value=3,/),
    ]);
    expect(ingestor.counters).toMatchObject({ readingsWritten: 2, readingConflicts: 2 });
    expect(sequences.snapshot({ station: 'jinfo', gateway: 'gw-1' })).toMatchObject({ conflicts: 2 });
  });

  it('quarantines, and acknowledges, a message whose alert evaluation throws, after storing its readings', async () => {
    const { writer, ingestor, engine } = setup();
    vi.spyOn(engine, 'evaluate').mockImplementation(() => {
      throw new RangeError('rule bug');
    });
    await ingestor.ingest(message(TOPIC, batch(1, 500)));
    expect(writer.writes.map((w) => w.lines[0]?.split(',')[0])).toEqual(['reading', 'quarantine']);
    expect(writer.writes[1]?.lines[0]).toMatch(
      /code=ALERTS_FAILED,.*reason="readings stored; alert evaluation failed: RangeError: rule bug"/,
    );
    expect(ingestor.counters).toMatchObject({ readingsWritten: 1, quarantined: { ALERTS_FAILED: 1 } });
  });

  it('quarantines a message that stalled the consumer before without handling it again', async () => {
    const { writer, ingestor } = setup();
    await ingestor.ingest({ ...message(TOPIC, batch(1)), stalledBefore: true });
    expect(writer.writes).toHaveLength(1);
    expect(writer.writes[0]?.lines[0]).toMatch(/^quarantine,code=INGEST_STALLED /);
  });

  it('counts a message as lost, and resolves, when writing its quarantine record throws unexpectedly', async () => {
    const { writer, ingestor } = setup();
    writer.write = async () => {
      throw new TypeError('writer bug');
    };
    await ingestor.ingest(message(TOPIC, Buffer.from('not json')));
    expect(ingestor.counters).toMatchObject({ lost: 1, quarantined: {} });
  });

  it('quarantines an undecodable message with its code', async () => {
    const { writer, ingestor } = setup();
    await ingestor.ingest(message(TOPIC, Buffer.from('not json')));
    expect(writer.writes[0]?.lines[0]).toMatch(/^quarantine,code=PAYLOAD_NOT_JSON,station=jinfo /);
    expect(ingestor.counters.quarantined).toEqual({ PAYLOAD_NOT_JSON: 1 });
  });

  it('evaluates alerts after storing and publishes each transition with its history point', async () => {
    const { writer, ingestor, publisher, published } = setup();
    await ingestor.ingest(message(TOPIC, batch(1, 150)));
    await ingestor.ingest(message(TOPIC, batch(2, 160)));
    await ingestor.ingest(message(TOPIC, batch(3, 50)));
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

  it.each([
    [401, 'INFLUX_UNAUTHORIZED', /FS_INFLUX_USERNAME\/FS_INFLUX_PASSWORD or FS_INFLUX_TOKEN/],
    [403, 'INFLUX_UNAUTHORIZED', /FS_INFLUX_USERNAME\/FS_INFLUX_PASSWORD or FS_INFLUX_TOKEN/],
    [404, 'INFLUX_DATABASE_NOT_FOUND', /database or bucket is missing/],
  ])(
    'keeps retrying a write blocked by HTTP %i until InfluxDB accepts it, then stores it',
    async (status, code, hint) => {
      const { writer, ingestor } = setup();
      const blocked = errorForStatus(status, '{"error":"refused"}', 'write 1 points to fieldstation');
      expect(blocked).toMatchObject({ code, retryable: true });
      expect(blocked.message).toMatch(hint);
      writer.blockedBy = blocked;
      let settled = false;
      const ingesting = ingestor.ingest(message(TOPIC, batch(1))).finally(() => {
        settled = true;
      });
      await vi.waitFor(() => expect(writer.attempts).toBeGreaterThanOrEqual(3));
      // Not resolved (so not acknowledged) while InfluxDB refuses: the broker keeps the message.
      expect(settled).toBe(false);
      expect(writer.writes).toEqual([]);
      writer.blockedBy = undefined;
      await ingesting;
      expect(writer.writes).toEqual([{ lines: [expect.stringMatching(/^reading,/)], precision: 'ms' }]);
      expect(ingestor.counters).toMatchObject({
        readingsWritten: 1,
        quarantined: {},
        lost: 0,
      });
      expect(ingestor.counters.writeRetries).toBeGreaterThanOrEqual(3);
    },
  );

  it('leaves a blocked message unacknowledged when stopped while InfluxDB still refuses', async () => {
    const writer = new RecordingWriter();
    const stopping = new AbortController();
    const ingestor = new MessageIngestor({
      writer,
      logger,
      retry,
      signal: stopping.signal,
      sequences: new SequenceTracker(),
    });
    const unauthorized = errorForStatus(401, 'authorization failed', 'write 1 points to fieldstation');
    writer.blockedBy = unauthorized;
    const ingesting = ingestor.ingest(message(TOPIC, batch(1)));
    await vi.waitFor(() => expect(writer.attempts).toBeGreaterThanOrEqual(2));
    stopping.abort();
    await expect(ingesting).rejects.toBeInstanceOf(StoreAbortedError);
    expect(writer.writes).toEqual([]);
    expect(ingestor.counters).toMatchObject({ quarantined: {}, lost: 0 });
  });

  it('quarantines a 413 (too large) as WRITE_REJECTED', async () => {
    const { writer, ingestor } = setup();
    writer.failures.push(errorForStatus(413, 'request entity too large', 'write 1 points to fieldstation'));
    await ingestor.ingest(message(TOPIC, batch(1)));
    expect(writer.writes[0]?.lines[0]).toMatch(/^quarantine,code=WRITE_REJECTED,station=jinfo /);
    expect(ingestor.counters).toMatchObject({ quarantined: { WRITE_REJECTED: 1 }, lost: 0 });
  });

  it('counts a message as lost, not quarantined, when its quarantine record is refused too', async () => {
    const { writer, ingestor } = setup();
    const rejected = errorForStatus(400, 'unable to parse', 'write 1 points to fieldstation');
    writer.failures.push(rejected, rejected);
    await ingestor.ingest(message(TOPIC, batch(1)));
    expect(writer.attempts).toBe(2);
    expect(writer.writes).toEqual([]);
    expect(ingestor.counters).toMatchObject({ messages: 1, readingsWritten: 0, quarantined: {}, lost: 1 });
  });

  it('stores a health message in gateway_health and sensor_health, and tracks no sequence', async () => {
    const { writer, ingestor, sequences } = setup();
    await ingestor.ingest(message(HEALTH_TOPIC, Buffer.from(JSON.stringify(health))));
    expect(writer.writes).toEqual([
      {
        lines: [
          expect.stringMatching(/^gateway_health,gateway=gw-1,station=jinfo .*outbox_dropped_readings=32i/),
          expect.stringMatching(/^sensor_health,gateway=gw-1,sensor=s1,station=jinfo .*last_error="timeout"/),
        ],
        precision: 'ms',
      },
    ]);
    expect(ingestor.counters).toMatchObject({ messages: 1, healthWritten: 1, readingsWritten: 0 });
    expect(sequences.snapshots()).toEqual([]);
  });

  it('retries a health write while InfluxDB is down, like readings', async () => {
    const { writer, ingestor } = setup();
    writer.failures.push(errorForStatus(503, 'unavailable', 'write 2 points to fieldstation'));
    await ingestor.ingest(message(HEALTH_TOPIC, Buffer.from(JSON.stringify(health))));
    expect(writer.attempts).toBe(2);
    expect(ingestor.counters).toMatchObject({ healthWritten: 1, writeRetries: 1, quarantined: {} });
  });

  it('accepts a valid status without writing anything', async () => {
    const { writer, ingestor, sequences } = setup();
    await ingestor.ingest(message(STATUS_TOPIC, Buffer.from('{"v":1,"state":"online"}'), true));
    expect(writer.writes).toEqual([]);
    expect(ingestor.counters).toMatchObject({ messages: 1, statusAccepted: 1, quarantined: {} });
    expect(sequences.snapshots()).toEqual([]);
  });

  it.each([
    [HEALTH_TOPIC, '{"v":1,"time":1764194400000}', 'PAYLOAD_INVALID'],
    [STATUS_TOPIC, '{"v":3,"state":"online"}', 'VERSION_UNSUPPORTED'],
  ])('quarantines an invalid message on %s with its code', async (topic, payload, code) => {
    const { writer, ingestor } = setup();
    await ingestor.ingest(message(topic, Buffer.from(payload)));
    expect(writer.writes).toEqual([
      {
        lines: [expect.stringMatching(new RegExp(`^quarantine,code=${code},station=jinfo `))],
        precision: 'ns',
      },
    ]);
    expect(writer.writes[0]?.lines[0]).toContain(`topic="${topic}"`);
    expect(ingestor.counters.quarantined).toEqual({ [code]: 1 });
  });

  it('quarantines an invalid retained status and says in the log that it was retained', async () => {
    const logs = new LogRecorder();
    const { writer, ingestor } = setup(logs.logger());
    await ingestor.ingest(message(STATUS_TOPIC, Buffer.from('{"v":1,"state":"asleep"}'), true));
    expect(writer.writes[0]?.lines[0]).toMatch(/^quarantine,code=PAYLOAD_INVALID,station=jinfo /);
    const line = logs.records.find((record) => record.code === 'PAYLOAD_INVALID');
    expect(line).toMatchObject({ retained: true, topic: STATUS_TOPIC });
    expect(line?.msg).toMatch(/^retained message quarantined/);
  });
});
