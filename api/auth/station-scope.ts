/** The stations a request names in its path (`:station`) or query (`station=`, perhaps repeated). */
export function stationsNamed(params: unknown, query: unknown): string[] {
  const named = [fieldOf(params, 'station'), fieldOf(query, 'station')].flat();
  return named.filter((value): value is string => typeof value === 'string');
}

function fieldOf(source: unknown, field: string): unknown {
  return typeof source === 'object' && source !== null
    ? (source as Record<string, unknown>)[field]
    : undefined;
}

/** Whether a key limited to `allowed` (null: every station) may see `station`. */
export function stationAllowed(allowed: readonly string[] | null, station: string | null): boolean {
  if (allowed === null) return true;
  return station !== null && allowed.includes(station);
}
