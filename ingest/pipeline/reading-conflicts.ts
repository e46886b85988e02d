import type { Reading } from '../../protocol/index.js';

/** A reading that another reading later in the same batch replaced: the same point in InfluxDB. */
export interface ReadingConflict {
  sensor: string;
  quantity: string;
  unit: string;
  time: number;
  dropped: { value: number; qc: number };
  kept: { value: number; qc: number };
}

export interface CollapsedReadings {
  /** One reading per point, each the last of its point in the batch, in the batch's order. */
  kept: Reading[];
  conflicts: ReadingConflict[];
}

/** The tags and timestamp that make a reading's point; everything else is a field the last write sets. */
function pointKey(reading: Reading): string {
  return `${reading.sensor}\u0000${reading.quantity}\u0000${reading.unit}\u0000${reading.time}`;
}

/**
 * Readings of one batch that would land on the same InfluxDB point (same sensor, quantity, unit and
 * time). InfluxDB keeps the last write of a point, so the batch is collapsed the same way, on purpose
 * and visibly: the last one is kept and each earlier one is reported as a conflict, so nothing is
 * counted as written that was overwritten. An exact repeat counts too: it carries no new data. Pure.
 */
export function collapseConflicts(readings: readonly Reading[]): CollapsedReadings {
  // Points differ when their times do: the common case needs no key strings.
  const times = new Set<number>();
  for (const reading of readings) times.add(reading.time);
  if (times.size === readings.length) return { kept: [...readings], conflicts: [] };
  const lastIndex = new Map<string, number>();
  for (const [index, reading] of readings.entries()) lastIndex.set(pointKey(reading), index);
  if (lastIndex.size === readings.length) return { kept: [...readings], conflicts: [] };
  const kept: Reading[] = [];
  const conflicts: ReadingConflict[] = [];
  readings.forEach((reading, index) => {
    const winner = lastIndex.get(pointKey(reading)) ?? index;
    if (winner === index) {
      kept.push(reading);
      return;
    }
    const last = readings[winner] ?? reading;
    const { sensor, quantity, unit, time } = reading;
    conflicts.push({
      sensor,
      quantity,
      unit,
      time,
      dropped: { value: reading.value, qc: reading.qc },
      kept: { value: last.value, qc: last.qc },
    });
  });
  return { kept, conflicts };
}
