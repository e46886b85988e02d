import { defineMeasurement } from './measurement.js';

/**
 * The storage contract: how the ingest lays data out in InfluxDB and how the API reads it back, one
 * record per measurement naming its tags and fields once. Researchers write their own queries
 * against it, so it is documented in the README and the stored names never change: a record maps
 * the name our code uses (left) to the stored one (right).
 */

/**
 * The tag every measurement carries. Declared once and spread into the records, so a filter or a
 * parser that serves several measurements (a key's stations, a refused line) has one name to use.
 */
export const STATION_TAG = { station: 'station' } as const;

/** The tags of what a gateway reports, in every measurement that has them. */
export const GATEWAY_TAGS = { ...STATION_TAG, gateway: 'gateway' } as const;

/** The tags of every alert measurement: the alert history filters all four with one condition. */
export const ALERT_TAGS = { ...STATION_TAG, rule: 'rule' } as const;

/**
 * `reading`: every identifier is a tag, so each sensor/quantity/unit combination is its own series.
 * Fields `value` (float), `qc` (integer QARTOD flag) and, only on readings sampled while the
 * gateway's clock was not synchronised, `clock` (string, "unsynced").
 */
export const READING = defineMeasurement({
  name: 'reading',
  tags: { ...GATEWAY_TAGS, sensor: 'sensor', quantity: 'quantity', unit: 'unit' },
  fields: { value: 'value', qc: 'qc', clock: 'clock' },
});

/**
 * A gateway's periodic `health` message, one point per message at the message's `time` (ms). Fields
 * uptime_s (float), the outbox and published counters (integers; the gateway's running totals since
 * it started); clock_state (string: synced, unsynced, unknown), clock_source (string) and
 * clock_offset_ms (float) when the gateway reports them.
 */
export const GATEWAY_HEALTH = defineMeasurement({
  name: 'gateway_health',
  tags: GATEWAY_TAGS,
  fields: {
    uptimeS: 'uptime_s',
    outboxPendingMessages: 'outbox_pending_messages',
    outboxDiskBytes: 'outbox_disk_bytes',
    outboxDroppedMessages: 'outbox_dropped_messages',
    outboxDroppedReadings: 'outbox_dropped_readings',
    publishedMessages: 'published_messages',
    publishedReadings: 'published_readings',
    clockState: 'clock_state',
    clockSource: 'clock_source',
    clockOffsetMs: 'clock_offset_ms',
  },
});

/**
 * One point per sensor of a `health` message, at the message's `time` (ms). Fields samples, errors
 * (integers, running totals) and last_error (string, only when set).
 */
export const SENSOR_HEALTH = defineMeasurement({
  name: 'sensor_health',
  tags: { ...GATEWAY_TAGS, sensor: 'sensor' },
  fields: { samples: 'samples', errors: 'errors', lastError: 'last_error' },
});

/**
 * The ingest's sequence bookkeeping per gateway, written every few seconds while it runs. Integer
 * fields: running totals since the ingest first saw the gateway, kept across restarts (gaps: seq
 * numbers still missing). The change of a total over a window is what happened in it.
 */
export const GATEWAY_SEQUENCE = defineMeasurement({
  name: 'gateway_sequence',
  tags: GATEWAY_TAGS,
  fields: {
    messages: 'messages',
    lastSeq: 'last_seq',
    gaps: 'gaps',
    duplicates: 'duplicates',
    late: 'late',
    restarts: 'restarts',
    conflicts: 'conflicts',
  },
});

/**
 * Refused input (dead letters): tag `code` and, when the topic named one, `station`; fields topic,
 * gateway (when the topic named one), reason, payload (strings) and bytes (integer, the payload's
 * full size). Written with precision `ns` at a unique timestamp.
 */
export const QUARANTINE = defineMeasurement({
  name: 'quarantine',
  tags: { code: 'code', ...STATION_TAG },
  fields: { topic: 'topic', gateway: 'gateway', reason: 'reason', payload: 'payload', bytes: 'bytes' },
});

/**
 * `alert_event`: a rule changing state, at the sample time (ms) of the reading, or clock time, that
 * changed it. Fields message, kind (strings), since (integer epoch ms, the episode's start) and, where
 * the rule's kind has them, sensor, gateway (strings), value and threshold (floats).
 */
export const ALERT_EVENT = defineMeasurement({
  name: 'alert_event',
  tags: { ...ALERT_TAGS, state: 'state', severity: 'severity' },
  fields: {
    message: 'message',
    kind: 'kind',
    since: 'since',
    sensor: 'sensor',
    gateway: 'gateway',
    value: 'value',
    threshold: 'threshold',
  },
});

/**
 * What people and the notifier did about alerts, written by the ingest from the rules' action topics
 * so the history outlives the retained messages. Each has tags station and rule.
 *
 * `alert_ack`: an acknowledgement, at the time it was given (ms in ns precision); fields `since`
 * (integer, epoch ms of the episode it applies to), `by`, `comment` (strings, comment only when given).
 */
export const ALERT_ACK = defineMeasurement({
  name: 'alert_ack',
  tags: ALERT_TAGS,
  fields: { since: 'since', by: 'by', comment: 'comment' },
});

/**
 * `alert_silence`: a silence set, at the time it was set, or lifted (`lifted` true). Fields `until`
 * (integer epoch ms; absent on a lift by an empty payload), `by`, `comment` (strings, when known) and
 * `lifted` (boolean: an empty retained payload, or an `until` not after the time it was set).
 */
export const ALERT_SILENCE = defineMeasurement({
  name: 'alert_silence',
  tags: ALERT_TAGS,
  fields: { until: 'until', by: 'by', comment: 'comment', lifted: 'lifted' },
});

/**
 * `alert_delivery`: one attempt of the notifier to deliver a notification, at the attempt's time plus
 * a sub-millisecond offset derived from the notification id, attempt and subscriber (so attempts in
 * one millisecond stay apart, and a replay lands on itself). Fields `id`, `subscriber`, `reason`,
 * `error` (strings, error only when given), `attempt` and `since` (integers).
 */
export const ALERT_DELIVERY = defineMeasurement({
  name: 'alert_delivery',
  tags: { ...ALERT_TAGS, channel: 'channel', outcome: 'outcome' },
  fields: {
    id: 'id',
    subscriber: 'subscriber',
    reason: 'reason',
    error: 'error',
    attempt: 'attempt',
    since: 'since',
  },
});

/**
 * What gateways say about their station, themselves and their sensors (the `meta` message), one point
 * per subject per message at the message's `time` (ms): its history, so what was in force at any
 * time (a calibration above all) can be read back. Tag `subject` is station, gateway or sensor, and
 * `sensor` is set for a sensor. Every point carries `listed` (true: the subject was in the message,
 * even without any metadata) and whichever of the other fields the message gave.
 */
export const METADATA = defineMeasurement({
  name: 'metadata',
  tags: { ...GATEWAY_TAGS, subject: 'subject', sensor: 'sensor' },
  fields: {
    listed: 'listed',
    latitude: 'latitude',
    longitude: 'longitude',
    elevation: 'elevation_m',
    make: 'make',
    model: 'model',
    serial: 'serial',
    installed: 'installed',
    description: 'description',
    calibrationDate: 'calibration_date',
    /** The coefficients as a JSON object of names to numbers. */
    calibrationCoefficients: 'calibration_coefficients',
    calibrationBy: 'calibration_by',
    calibrationNote: 'calibration_note',
  },
});
export const METADATA_SUBJECTS = ['station', 'gateway', 'sensor'] as const;
export type MetadataSubject = (typeof METADATA_SUBJECTS)[number];

/** The reading's tags in the order queries group by them and cursors list them. */
export const READING_TAGS = [
  'station',
  'gateway',
  'sensor',
  'quantity',
  'unit',
] as const satisfies readonly (keyof typeof READING.tags)[];
export type ReadingTag = (typeof READING_TAGS)[number];
