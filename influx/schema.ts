/**
 * The storage contract: how the ingest lays readings out in InfluxDB and how the API reads them back.
 * Researchers write their own queries against it, so it is documented in the README and changes
 * only with a new measurement name.
 */
export const READINGS_MEASUREMENT = 'reading';
/** Tags of `reading`: every identifier, so each sensor/quantity/unit combination is its own series. */
export const READING_TAGS = ['station', 'gateway', 'sensor', 'quantity', 'unit'] as const;
/**
 * Fields of `reading`: `value` (float), `qc` (integer QARTOD flag) and, only on readings sampled while
 * the gateway's clock was not synchronised, `clock` (string, "unsynced").
 */
export const READING_FIELDS = { value: 'value', qc: 'qc', clock: 'clock' } as const;

/**
 * A gateway's periodic `health` message, one point per message at the message's `time` (ms).
 * Tags station, gateway; fields uptime_s (float), outbox_pending_messages, outbox_disk_bytes,
 * outbox_dropped_messages, outbox_dropped_readings, published_messages, published_readings (integers;
 * the counters are the gateway's running totals since it started); clock_state (string: synced,
 * unsynced, unknown), clock_source (string) and clock_offset_ms (float) when the gateway reports them.
 */
export const GATEWAY_HEALTH_MEASUREMENT = 'gateway_health';
/**
 * One point per sensor of a `health` message, at the message's `time` (ms). Tags station, gateway,
 * sensor; fields samples, errors (integers, running totals) and last_error (string, only when set).
 */
export const SENSOR_HEALTH_MEASUREMENT = 'sensor_health';

/**
 * The ingest's sequence bookkeeping per gateway, written every few seconds while it runs. Tags
 * station, gateway; integer fields messages, last_seq, gaps (seq numbers still missing), duplicates,
 * late, restarts, conflicts: running totals since the ingest first saw the gateway, kept across
 * restarts. The change of a total over a window is what happened in it.
 */
export const GATEWAY_SEQUENCE_MEASUREMENT = 'gateway_sequence';
export const GATEWAY_SEQUENCE_FIELDS = {
  messages: 'messages',
  lastSeq: 'last_seq',
  gaps: 'gaps',
  duplicates: 'duplicates',
  late: 'late',
  restarts: 'restarts',
  conflicts: 'conflicts',
} as const;

export const QUARANTINE_MEASUREMENT = 'quarantine';
export const ALERT_EVENT_MEASUREMENT = 'alert_event';

/**
 * What people and the notifier did about alerts, written by the ingest from the rules' action topics
 * so the history outlives the retained messages. Each has tags station and rule.
 *
 * `alert_ack`: an acknowledgement, at the time it was given (ms in ns precision); fields `since`
 * (integer, epoch ms of the episode it applies to), `by`, `comment` (strings, comment only when given).
 */
export const ALERT_ACK_MEASUREMENT = 'alert_ack';
export const ALERT_ACK_FIELDS = { since: 'since', by: 'by', comment: 'comment' } as const;

/**
 * `alert_silence`: a silence set, at the time it was set, or lifted (`lifted` true). Fields `until`
 * (integer epoch ms; absent on a lift by an empty payload), `by`, `comment` (strings, when known) and
 * `lifted` (boolean: an empty retained payload, or an `until` not after the time it was set).
 */
export const ALERT_SILENCE_MEASUREMENT = 'alert_silence';
export const ALERT_SILENCE_FIELDS = {
  until: 'until',
  by: 'by',
  comment: 'comment',
  lifted: 'lifted',
} as const;

/**
 * `alert_delivery`: one attempt of the notifier to deliver a notification, at the attempt's time plus
 * a sub-millisecond offset derived from the notification id, attempt and subscriber (so attempts in
 * one millisecond stay apart, and a replay lands on itself). Tags station, rule, channel, outcome;
 * fields `id`, `subscriber`, `reason`, `error` (strings, error only when given), `attempt` and
 * `since` (integers).
 */
export const ALERT_DELIVERY_MEASUREMENT = 'alert_delivery';
export const ALERT_DELIVERY_TAGS = ['station', 'rule', 'channel', 'outcome'] as const;
export const ALERT_DELIVERY_FIELDS = {
  id: 'id',
  subscriber: 'subscriber',
  reason: 'reason',
  error: 'error',
  attempt: 'attempt',
  since: 'since',
} as const;

export type ReadingTag = (typeof READING_TAGS)[number];

/**
 * What gateways say about their station, themselves and their sensors (the `meta` message), one point
 * per subject per message at the message's `time` (ms): its history, so what was in force at any
 * time (a calibration above all) can be read back. Tags station, gateway, `subject` (station, gateway
 * or sensor) and, for a sensor, `sensor`. Every point carries `listed` (true: the subject was in the
 * message, even without any metadata) and whichever of the other fields the message gave.
 */
export const METADATA_MEASUREMENT = 'metadata';
export const METADATA_SUBJECTS = ['station', 'gateway', 'sensor'] as const;
export const METADATA_FIELDS = {
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
} as const;

export type MetadataSubject = (typeof METADATA_SUBJECTS)[number];
