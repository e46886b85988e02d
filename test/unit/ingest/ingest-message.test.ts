import { type Logger, pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { type LinePoints, type LineWriter, type Precision, pointLines } from '../../../influx/index.js';
import { AlertEngine } from '../../../ingest/alerts/alert-engine.js';
import { AlertPublisher } from '../../../ingest/alerts/alert-publisher.js';
import { AlertRuleSchema } from '../../../ingest/alerts/alert-rule.js';
import { MessageIngestor } from '../../../ingest/pipeline/ingest-message.js';
import { SequenceTracker } from '../../../ingest/sequence/sequence-tracker.js';
import { RetryPolicySchema } from '../../../ingest/store/retry-policy.js';
import { StoreAbortedError } from '../../../ingest/store/store-batch.js';
import type { HealthInput } from '../../../protocol/index.js';
import { LogRecorder } from '../../harness/log-recorder.js';

const logger = pino({ level: 'silent' });
const retry = RetryPolicySchema.parse({ initialDelayMs: 1, maxDelayMs: 2, jitter: 0 });
const TOPIC = 'fs/v1/jinfo/gw-1/readings';
const HEALTH_TOPIC = 'fs/v1/jinfo/gw-1/health';
const STATUS_TOPIC = 'fs/v1/jinfo/gw-1/status';
const T0 = 1764194400000;
const message = (topic: string, payload: Uint8Array, retained = false) => ({ topic, payload, retained });
const health: HealthInput = {
  v: 1,
  time: T0,
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
      readings: [{ sensor: 's1', quantity: 'co2', unit: '[ppm]', value, time: T0 + seq }],
    }),
  );

/** The spool as the ingestor sees it: each append is one message's lines, kept as written. */
class RecordingSpool {
  readonly appends: string[] = [];
  failNext: Error | undefined;
  async append(text: string): Promise<void> {
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    this.appends.push(text);
  }
  lines(): string[] {
    return this.appends.flatMap((text) => text.split('\n')).filter((line) => line !== '');
  }
}

/** Where the alert publisher writes its history points. */
class RecordingWriter implements LineWriter {
  readonly lines: string[] = [];
  async write(points: LinePoints, _precision: Precision): Promise<void> {
    this.lines.push(...pointLines(points));
  }
  async close(): Promise<void> {}
}

function setup(log: Logger = logger) {
  const spool = new RecordingSpool();
  const writer = new RecordingWriter();
  const sequences = new SequenceTracker();
  const published: string[] = [];
  const publisher = new AlertPublisher({
    writer,
    logger: log,
    retry,
    signal: new AbortController().signal,
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
  const engine = new AlertEngine([rule]);
  const ingestor = new MessageIngestor({
    spool,
    logger: log,
    sequences,
    alerts: { engine, publisher },
    now: () => T0 + 100_000,
  });
  return { spool, writer, sequences, ingestor, publisher, published, engine };
}

describe('MessageIngestor', () => {
  it('appends a batch to the spool in ns precision with its sequence note, in one write', async () => {
    const { spool, ingestor, sequences } = setup();
    await ingestor.ingest(message(TOPIC, batch(1)));
    expect(spool.appends).toEqual([
      expect.stringMatching(
        new RegExp(`^reading,gateway=gw-1,.* value=1,qc=2i ${T0 + 1}000000\\n#seq jinfo gw-1 1 0\\n$`),
      ),
    ]);
    expect(ingestor.counters).toMatchObject({ messages: 1, readingsAccepted: 1 });
    expect(sequences.snapshot({ station: 'jinfo', gateway: 'gw-1' })).toMatchObject({
      messages: 1,
      lastSeq: 1,
    });
  });

  it('quarantines a 20,000-level nested payload as PAYLOAD_TOO_DEEP and resolves', async () => {
    const { spool, ingestor } = setup();
    const nested = `{"v":${'['.repeat(20_000)}1${']'.repeat(20_000)},"seq":1,"readings":[]}`;
    await ingestor.ingest(message(TOPIC, Buffer.from(nested)));
    expect(spool.lines()[0]).toMatch(/^quarantine,code=PAYLOAD_TOO_DEEP,station=jinfo /);
    expect(ingestor.counters.quarantined).toEqual({ PAYLOAD_TOO_DEEP: 1 });
  });

  it('bounds the stored reason when the payload quotes a huge value', async () => {
    const { spool, ingestor } = setup();
    await ingestor.ingest(message(TOPIC, Buffer.from(JSON.stringify({ v: 'x'.repeat(1_000_000), seq: 1 }))));
    const line = spool.lines()[0] ?? '';
    expect(line).toMatch(/^quarantine,code=VERSION_UNSUPPORTED,/);
    const reason = /reason="((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? '';
    expect(reason.length).toBeLessThanOrEqual(1000);
    expect(line.length).toBeLessThan(12_000);
  });

  it('stores the last of readings that share sensor, quantity, unit and time, and counts the rest as conflicts', async () => {
    const { spool, ingestor, sequences } = setup();
    const reading = { sensor: 's1', quantity: 'co2', unit: '[ppm]', time: T0 };
    const readings = [1, 5, 2, 3].map((value, i) => ({
      ...reading,
      ...(i === 1 ? { sensor: 's2' } : {}),
      value,
    }));
    await ingestor.ingest(message(TOPIC, Buffer.from(JSON.stringify({ v: 1, seq: 1, readings }))));
    expect(spool.lines()).toEqual([
      expect.stringMatching(/sensor=s2,.* value=5,/),
      expect.stringMatching(/sensor=s1,.* value=3,/),
      '#seq jinfo gw-1 1 2',
    ]);
    expect(ingestor.counters).toMatchObject({ readingsAccepted: 2, readingConflicts: 2 });
    expect(sequences.snapshot({ station: 'jinfo', gateway: 'gw-1' })).toMatchObject({ conflicts: 2 });
  });

  it('quarantines, and acknowledges, a message whose alert evaluation throws, after spooling its readings', async () => {
    const { spool, ingestor, engine } = setup();
    vi.spyOn(engine, 'evaluate').mockImplementation(() => {
      throw new RangeError('rule bug');
    });
    await ingestor.ingest(message(TOPIC, batch(1, 500)));
    expect(spool.lines().map((line) => line.split(/[, ]/)[0])).toEqual(['reading', '#seq', 'quarantine']);
    expect(spool.lines()[2]).toMatch(
      /code=ALERTS_FAILED,.*reason="readings stored; alert evaluation failed: RangeError: rule bug"/,
    );
    expect(ingestor.counters).toMatchObject({ readingsAccepted: 1, quarantined: { ALERTS_FAILED: 1 } });
  });

  it('quarantines a message that stalled the consumer before without handling it again', async () => {
    const { spool, ingestor } = setup();
    await ingestor.ingest({ ...message(TOPIC, batch(1)), stalledBefore: true });
    expect(spool.lines()).toEqual([expect.stringMatching(/^quarantine,code=INGEST_STALLED /)]);
  });

  it('quarantines a message whose handling fails unexpectedly, so it cannot stall the queue', async () => {
    const { spool, ingestor } = setup();
    spool.failNext = new TypeError('unexpected bug');
    await ingestor.ingest(message(TOPIC, batch(1)));
    expect(spool.lines()).toEqual([
      expect.stringMatching(
        /^quarantine,code=INGEST_FAILED,station=jinfo .*reason="handling failed: TypeError: unexpected bug"/,
      ),
    ]);
    expect(ingestor.counters).toMatchObject({ readingsAccepted: 0, quarantined: { INGEST_FAILED: 1 } });
  });

  it('rejects (the message stays unacknowledged) when stopped while the spool has no room', async () => {
    const { spool, ingestor } = setup();
    spool.failNext = new StoreAbortedError();
    await expect(ingestor.ingest(message(TOPIC, batch(1)))).rejects.toBeInstanceOf(StoreAbortedError);
    expect(spool.appends).toEqual([]);
  });

  it('quarantines an undecodable message with its code', async () => {
    const { spool, ingestor } = setup();
    await ingestor.ingest(message(TOPIC, Buffer.from('not json')));
    expect(spool.lines()[0]).toMatch(/^quarantine,code=PAYLOAD_NOT_JSON,station=jinfo /);
    expect(ingestor.counters.quarantined).toEqual({ PAYLOAD_NOT_JSON: 1 });
  });

  it('evaluates alerts after spooling and publishes each transition with its history point', async () => {
    const { writer, ingestor, publisher, published } = setup();
    await ingestor.ingest(message(TOPIC, batch(1, 150)));
    await ingestor.ingest(message(TOPIC, batch(2, 160)));
    await ingestor.ingest(message(TOPIC, batch(3, 50)));
    expect(await publisher.drain(1000)).toBe(true);
    expect(published).toEqual(['fs/v1/alerts/jinfo/co2-high firing', 'fs/v1/alerts/jinfo/co2-high clear']);
    expect(writer.lines).toHaveLength(2);
    expect(writer.lines[0]).toMatch(
      /^alert_event,rule=co2-high,severity=warning,state=firing,station=jinfo message="/,
    );
    expect(ingestor.counters.alertsFired).toBe(1);
  });

  it('spools a seq seen before again (idempotently) but does not evaluate its alerts twice', async () => {
    const { spool, ingestor, publisher, published } = setup();
    await ingestor.ingest(message(TOPIC, batch(1, 150)));
    await ingestor.ingest(message(TOPIC, batch(1, 150)));
    expect(await publisher.drain(1000)).toBe(true);
    expect(published).toEqual(['fs/v1/alerts/jinfo/co2-high firing']);
    expect(spool.appends).toHaveLength(2);
    expect(ingestor.counters).toMatchObject({ redelivered: 1, alertsFired: 1 });
  });

  it('spools a health message as gateway_health and sensor_health points, and tracks no sequence', async () => {
    const { spool, ingestor, sequences } = setup();
    await ingestor.ingest(message(HEALTH_TOPIC, Buffer.from(JSON.stringify(health))));
    expect(spool.lines()).toEqual([
      expect.stringMatching(
        new RegExp(`^gateway_health,gateway=gw-1,station=jinfo .*outbox_dropped_readings=32i.* ${T0}000000$`),
      ),
      expect.stringMatching(/^sensor_health,gateway=gw-1,sensor=s1,station=jinfo .*last_error="timeout"/),
    ]);
    expect(ingestor.counters).toMatchObject({ messages: 1, healthAccepted: 1, readingsAccepted: 0 });
    expect(sequences.snapshots()).toEqual([]);
  });

  it('accepts a valid status without spooling anything', async () => {
    const { spool, ingestor, sequences } = setup();
    await ingestor.ingest(message(STATUS_TOPIC, Buffer.from('{"v":1,"state":"online"}'), true));
    expect(spool.appends).toEqual([]);
    expect(ingestor.counters).toMatchObject({ messages: 1, statusAccepted: 1, quarantined: {} });
    expect(sequences.snapshots()).toEqual([]);
  });

  it('hands a valid status to the alert runtime (gateway-offline, deadman intervals)', async () => {
    const { spool, sequences, publisher, engine } = setup();
    const statuses: unknown[] = [];
    const ingestor = new MessageIngestor({
      spool,
      logger,
      sequences,
      alerts: {
        engine,
        publisher,
        runtime: { status: (address, status) => statuses.push({ address, status }) },
      },
    });
    await ingestor.ingest(message(STATUS_TOPIC, Buffer.from('{"v":1,"state":"offline"}'), true));
    expect(statuses).toEqual([
      { address: { station: 'jinfo', gateway: 'gw-1' }, status: { v: 1, state: 'offline' } },
    ]);
  });

  it.each([
    [HEALTH_TOPIC, '{"v":1,"time":1764194400000}', 'PAYLOAD_INVALID'],
    [STATUS_TOPIC, '{"v":3,"state":"online"}', 'VERSION_UNSUPPORTED'],
  ])('quarantines an invalid message on %s with its code', async (topic, payload, code) => {
    const { spool, ingestor } = setup();
    await ingestor.ingest(message(topic, Buffer.from(payload)));
    expect(spool.lines()).toEqual([
      expect.stringMatching(new RegExp(`^quarantine,code=${code},station=jinfo `)),
    ]);
    expect(spool.lines()[0]).toContain(`topic="${topic}"`);
    expect(ingestor.counters.quarantined).toEqual({ [code]: 1 });
  });

  it('quarantines an invalid retained status and says in the log that it was retained', async () => {
    const logs = new LogRecorder();
    const { spool, ingestor } = setup(logs.logger());
    await ingestor.ingest(message(STATUS_TOPIC, Buffer.from('{"v":1,"state":"asleep"}'), true));
    expect(spool.lines()[0]).toMatch(/^quarantine,code=PAYLOAD_INVALID,station=jinfo /);
    const line = logs.records.find((record) => record.code === 'PAYLOAD_INVALID');
    expect(line).toMatchObject({ retained: true, topic: STATUS_TOPIC });
    expect(line?.msg).toMatch(/^retained message quarantined/);
  });
});
