import { z } from 'zod';
import { METADATA, METADATA_SUBJECTS, type MetadataSubject, type QuerySeries } from '../../influx/index.js';
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

const F = METADATA.fields;
const CoefficientsSchema = z.record(z.string(), z.number());

type Cells = Readonly<Record<string, unknown>>;

const text = (cells: Cells, key: string): string | undefined =>
  typeof cells[key] === 'string' ? (cells[key] as string) : undefined;
const num = (cells: Cells, key: string): number | undefined =>
  typeof cells[key] === 'number' ? (cells[key] as number) : undefined;

function coefficients(cells: Cells): Record<string, number> | undefined {
  const stored = text(cells, F.calibrationCoefficients);
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
export function metadataOfCells(cells: Cells): Metadata {
  const latitude = num(cells, F.latitude);
  const longitude = num(cells, F.longitude);
  const date = text(cells, F.calibrationDate);
  const candidate = defined({
    position:
      latitude === undefined || longitude === undefined
        ? undefined
        : defined({ latitude, longitude, elevation: num(cells, F.elevation) }),
    make: text(cells, F.make),
    model: text(cells, F.model),
    serial: text(cells, F.serial),
    installed: text(cells, F.installed),
    description: text(cells, F.description),
    calibration:
      date === undefined
        ? undefined
        : defined({
            date,
            coefficients: coefficients(cells),
            by: text(cells, F.calibrationBy),
            note: text(cells, F.calibrationNote),
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
    const subject = subjectOf(s.tags?.[METADATA.tags.subject]);
    const station = s.tags?.[METADATA.tags.station];
    const gateway = s.tags?.[METADATA.tags.gateway];
    if (subject === undefined || !station || !gateway) return [];
    const sensor = s.tags?.[METADATA.tags.sensor];
    if (subject === 'sensor' && !sensor) return [];
    return s.values.flatMap((row) => {
      const cells = Object.fromEntries(s.columns.map((column, index) => [column, row[index]]));
      const time = cells.time;
      if (typeof time !== 'number') return [];
      return [
        {
          station,
          gateway,
          subject,
          ...(subject === 'sensor' && sensor ? { sensor } : {}),
          time,
          metadata: metadataOfCells(cells),
        },
      ];
    });
  });
}
