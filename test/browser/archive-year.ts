/**
 * A year of 5-minute readings of one archived sensor, written straight into InfluxDB as the ingest
 * would store them: 105,120 points with a day missing in the middle (a gap to shade) and a few
 * suspect and failed flags (markers to draw). The series explorer must plot it in under a second.
 */
export const ARCHIVE = {
  station: 'jinfo',
  gateway: 'archive-gw',
  sensor: 'archive-temp-1',
  quantity: 'temperature',
  unit: 'Cel',
} as const;

export const YEAR_POINTS = 105_120;
const STEP_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const BATCH = 20_000;

function qcOf(index: number): number {
  if (index % 5_000 === 17) return 4;
  if (index % 1_000 === 3) return 3;
  return 1;
}

/** The year ends at `endMs` (on a 5-minute boundary); returns where it starts. */
export async function writeArchiveYear(influxUrl: string, endMs: number): Promise<{ fromMs: number }> {
  const fromMs = endMs - YEAR_POINTS * STEP_MS - DAY_MS;
  const gapAt = fromMs + Math.floor(YEAR_POINTS / 2) * STEP_MS;
  const tags = Object.entries(ARCHIVE)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const lines: string[] = [];
  for (let i = 0; i < YEAR_POINTS; i++) {
    const base = fromMs + i * STEP_MS;
    const time = base >= gapAt ? base + DAY_MS : base;
    const value = 12 + 8 * Math.sin((2 * Math.PI * i) / 288) + 5 * Math.sin((2 * Math.PI * i) / YEAR_POINTS);
    lines.push(`reading,${tags} value=${value.toFixed(3)},qc=${qcOf(i)}i ${time}`);
  }
  for (let start = 0; start < lines.length; start += BATCH) {
    const response = await fetch(`${influxUrl}/write?db=fieldstation&precision=ms`, {
      method: 'POST',
      body: lines.slice(start, start + BATCH).join('\n'),
    });
    if (!response.ok)
      throw new Error(`writing the archive year: ${response.status} ${await response.text()}`);
  }
  return { fromMs };
}
