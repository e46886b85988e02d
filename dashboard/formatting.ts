/** How the dashboard writes times, values and flags. Pure: the unit tests run it in Node. */

const QC_LABELS: Readonly<Record<number, string>> = {
  1: 'pass',
  2: 'not evaluated',
  3: 'suspect',
  4: 'fail',
  9: 'missing',
};

export function qcLabel(qc: number | null): string {
  if (qc === null) return '–';
  return QC_LABELS[qc] ?? `flag ${qc}`;
}

/** "5 min ago", "3 h ago", "2 d ago": the age of a reading or state at a glance. */
export function ago(iso: string | null, nowMs: number): string {
  if (iso === null) return 'never';
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** UTC, minutes precision, as the stations keep UTC: "2026-11-27 18:05". */
export function utc(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

export function reading(value: number | null, unit: string): string {
  if (value === null) return '–';
  const shown = Math.abs(value) >= 1000 ? value.toFixed(0) : Number(value.toPrecision(4)).toString();
  return `${shown} ${displayUnit(unit)}`;
}

/** UCUM codes in square brackets (`[ppm]`) read better without them. */
export function displayUnit(unit: string): string {
  return unit.replace(/^\[(.*)\]$/, '$1');
}

export function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KiB`;
  return `${(count / 1024 / 1024).toFixed(1)} MiB`;
}
