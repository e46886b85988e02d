import { z } from 'zod';
import {
  type ColumnKey,
  columnReader,
  type FieldKey,
  METADATA,
  METADATA_SUBJECTS,
  type MetadataSubject,
  type QuerySeries,
  seriesTag,
} from '../../influx/index.js';
import { type Metadata, MetadataSchema } from '../../protocol/index.js';

/** One stored `metadata` point, read back into the contract's shape. */
export interface MetadataRecord {
  station: string;
  gateway: string;
  subject: MetadataSubject;
  /** Set when subject is `sensor`. */
  sensor?: string;
  /** The meta message's time (epoch ms): when this became what the gateway says. */
  time: number;
  metadata: Metadata;
}

const CoefficientsSchema = z.record(z.string(), z.number());

/** A cell of one row of a `metadata` query, by our name. */
type Cell = (key: ColumnKey<typeof METADATA>) => unknown;

const text = (cell: Cell, key: FieldKey<typeof METADATA>): string | undefined => {
  const value = cell(key);
  return typeof value === 'string' ? value : undefined;
};
const num = (cell: Cell, key: FieldKey<typeof METADATA>): number | undefined => {
  const value = cell(key);
  return typeof value === 'number' ? value : undefined;
};

function coefficients(cell: Cell): Record<string, number> | undefined {
  const stored = text(cell, 'calibrationCoefficients');
  if (stored === undefined) return undefined;
  try {
    const parsed = CoefficientsSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Drops the keys whose value is undefined, so the record looks like what the gateway sent. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The fields of one row as metadata; a part InfluxDB holds but the contract refuses is left out. */
function metadataOfRow(cell: Cell): Metadata {
  const latitude = num(cell, 'latitude');
  const longitude = num(cell, 'longitude');
  const date = text(cell, 'calibrationDate');
  const candidate = defined({
    position:
      latitude === undefined || longitude === undefined
        ? undefined
        : defined({ latitude, longitude, elevation: num(cell, 'elevation') }),
    make: text(cell, 'make'),
    model: text(cell, 'model'),
    serial: text(cell, 'serial'),
    installed: text(cell, 'installed'),
    description: text(cell, 'description'),
    calibration:
      date === undefined
        ? undefined
        : defined({
            date,
            coefficients: coefficients(cell),
            by: text(cell, 'calibrationBy'),
            note: text(cell, 'calibrationNote'),
          }),
  });
  const parsed = MetadataSchema.safeParse(candidate);
  return parsed.success ? parsed.data : {};
}

function subjectOf(value: string | undefined): MetadataSubject | undefined {
  return (METADATA_SUBJECTS as readonly string[]).includes(value ?? '')
    ? (value as MetadataSubject)
    : undefined;
}

/** Reads `SELECT * FROM metadata ... GROUP BY station, gateway, subject, sensor` series. Pure. */
export function readMetadataSeries(series: readonly QuerySeries[]): MetadataRecord[] {
  return series.flatMap((s) => {
    const subject = subjectOf(seriesTag(METADATA, s, 'subject'));
    const station = seriesTag(METADATA, s, 'station');
    const gateway = seriesTag(METADATA, s, 'gateway');
    if (subject === undefined || !station || !gateway) return [];
    const sensor = seriesTag(METADATA, s, 'sensor');
    if (subject === 'sensor' && !sensor) return [];
    const read = columnReader(METADATA, s.columns);
    return s.values.flatMap((row) => {
      const cell: Cell = (key) => read(row, key);
      const time = cell('time');
      if (typeof time !== 'number') return [];
      return [
        {
          station,
          gateway,
          subject,
          ...(subject === 'sensor' && sensor ? { sensor } : {}),
          time,
          metadata: metadataOfRow(cell),
        },
      ];
    });
  });
}
