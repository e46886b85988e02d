const MULTI_LEVEL = '#';
const SINGLE_LEVEL = '+';

function levelCovered(level: string, allowedLevel: string): boolean {
  if (allowedLevel === SINGLE_LEVEL) return level !== MULTI_LEVEL;
  return level === allowedLevel;
}

/**
 * True when every topic that `filter` can match is also matched by `allowed`, i.e. the filter's
 * topic set is a subset of the allowed one. A plain topic is a filter without wildcards, so this
 * also answers "may this topic be published". Subset, not overlap: a filter that could match one
 * forbidden topic is refused as a whole.
 */
export function filterCoveredBy(filter: string, allowed: string): boolean {
  const levels = filter.split('/');
  const allowedLevels = allowed.split('/');
  for (let i = 0; i < levels.length; i++) {
    const allowedLevel = allowedLevels[i];
    // [MQTT-4.7.1-2] '#' also matches the parent level, so it covers whatever follows.
    if (allowedLevel === MULTI_LEVEL) return true;
    if (allowedLevel === undefined || !levelCovered(levels[i] ?? '', allowedLevel)) return false;
  }
  const rest = allowedLevels.slice(levels.length);
  return rest.length === 0 || (rest.length === 1 && rest[0] === MULTI_LEVEL);
}

export function filterCoveredByAny(filter: string, allowed: readonly string[]): boolean {
  return allowed.some((candidate) => filterCoveredBy(filter, candidate));
}
