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
const WRITE_ATTEMPTS = 3;

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
  // InfluxDB 1.6 has held fewer points than it acknowledged (72 short here, a week short in CI) on a
  // loaded machine with the ingest writing beside it. Points are idempotent (same series and time),
  // so the year is written again until the count is whole, and the page is only asked after that.
  const counts: number[] = [];
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    await writeLines(influxUrl, lines);
    counts.push(await storedPoints(influxUrl));
    if (counts.at(-1) === YEAR_POINTS) return { fromMs };
    console.warn(
      `the archive year: InfluxDB holds ${counts.at(-1)} of ${YEAR_POINTS} points after write ${attempt}`,
    );
  }
  throw new Error(
    `the archive year: InfluxDB holds ${counts.join(', then ')} points after ${WRITE_ATTEMPTS} writes, not ${YEAR_POINTS}`,
  );
}

async function writeLines(influxUrl: string, lines: readonly string[]): Promise<void> {
  for (let start = 0; start < lines.length; start += BATCH) {
    const response = await fetch(`${influxUrl}/write?db=fieldstation&precision=ms`, {
      method: 'POST',
      body: lines.slice(start, start + BATCH).join('\n'),
    });
    if (!response.ok)
      throw new Error(`writing the archive year: ${response.status} ${await response.text()}`);
  }
}

async function storedPoints(influxUrl: string): Promise<number> {
  const q = `SELECT count(value) FROM reading WHERE sensor = '${ARCHIVE.sensor}'`;
  const response = await fetch(`${influxUrl}/query?${new URLSearchParams({ db: 'fieldstation', q })}`);
  const text = await response.text();
  if (!response.ok) throw new Error(`counting the archive year: ${response.status} ${text}`);
  const stored = (JSON.parse(text) as { results?: { series?: { values?: [string, number][] }[] }[] })
    .results?.[0]?.series?.[0]?.values?.[0]?.[1];
  return stored ?? 0;
}
