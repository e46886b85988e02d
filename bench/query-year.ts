import { encodePoint, READING } from '../influx/index.js';

/** The series the query bench reads: one sensor of one gateway, as the ingest stores it. */
export const YEAR_SERIES = {
  station: 'jinfo',
  gateway: 'cave-gw-1',
  sensor: 'cave-co2-1',
  quantity: 'co2',
  unit: '[ppm]',
} as const;

export const YEAR_INTERVAL_MS = 5 * 60_000;
/** 2025 in UTC: 365 days of 5-minute readings are 105,120 slots. */
export const YEAR_FROM_MS = Date.UTC(2025, 0, 1);
export const YEAR_TO_MS = Date.UTC(2026, 0, 1);

/**
 * Outages, [start, end) in slots from YEAR_FROM_MS, so the API's gap computation finds something:
 * a power cut of a day, a week without network and a few short ones.
 */
const OUTAGES: readonly (readonly [number, number])[] = [
  [10_000, 10_288],
  [40_000, 42_016],
  [70_000, 70_012],
  [90_000, 90_004],
];

function inOutage(slot: number): boolean {
  return OUTAGES.some(([start, end]) => slot >= start && slot < end);
}

/** A QARTOD flag now and then, as a gateway's own checks would give: mostly pass, some suspect or fail. */
function qcOf(slot: number): number {
  if (slot % 997 === 0) return 4;
  if (slot % 101 === 0) return 3;
  if (slot % 503 === 0) return 2;
  return 1;
}

/** A CO2 reading with a diurnal cycle and some noise that is the same on every run. */
function co2At(slot: number): number {
  const day = (slot % 288) / 288;
  const wobble = Math.sin(slot * 12.9898) * 43_758.5453;
  return Math.round((800 + 150 * Math.sin(2 * Math.PI * day) + (wobble - Math.floor(wobble)) * 20) * 10) / 10;
}

/** The year's readings as line protocol (ms precision), in request bodies of `batch` lines each. */
export function yearBodies(batch: number): { bodies: string[]; points: number } {
  const slots = (YEAR_TO_MS - YEAR_FROM_MS) / YEAR_INTERVAL_MS;
  const lines: string[] = [];
  for (let slot = 0; slot < slots; slot++) {
    if (inOutage(slot)) continue;
    const fields = {
      [READING.fields.value]: { float: co2At(slot) },
      [READING.fields.qc]: { int: qcOf(slot) },
    };
    const timestamp = YEAR_FROM_MS + slot * YEAR_INTERVAL_MS;
    lines.push(encodePoint({ measurement: READING.name, tags: YEAR_SERIES, fields, timestamp }));
  }
  const bodies: string[] = [];
  for (let start = 0; start < lines.length; start += batch) {
    bodies.push(`${lines.slice(start, start + batch).join('\n')}\n`);
  }
  return { bodies, points: lines.length };
}

/** Writes the year into `database` on the InfluxDB 1.x at `url`; returns how many points. */
export async function writeYear(url: string, database: string): Promise<number> {
  const { bodies, points } = yearBodies(5_000);
  const query = new URLSearchParams({ db: database, precision: 'ms' });
  for (const body of bodies) {
    const response = await fetch(`${url}/write?${query}`, { method: 'POST', body });
    const text = await response.text();
    if (response.status !== 204) throw new Error(`InfluxDB answered ${response.status} to a write: ${text}`);
  }
  return points;
}
