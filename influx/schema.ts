/**
 * The storage contract: how the ingest lays readings out in InfluxDB and how the API reads them back.
 * Researchers write their own queries against it, so it is documented in the README and changes
 * only with a new measurement name.
 */
export const READINGS_MEASUREMENT = 'reading';
/** Tags of `reading`: every identifier, so each sensor/quantity/unit combination is its own series. */
export const READING_TAGS = ['station', 'gateway', 'sensor', 'quantity', 'unit'] as const;
/** Fields of `reading`: `value` (float) and `qc` (integer QARTOD flag). */
export const READING_FIELDS = { value: 'value', qc: 'qc' } as const;

export const QUARANTINE_MEASUREMENT = 'quarantine';
export const ALERT_EVENT_MEASUREMENT = 'alert_event';

export type ReadingTag = (typeof READING_TAGS)[number];
