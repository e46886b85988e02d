const MULTI_LEVEL = '#';
const SINGLE_LEVEL = '+';

/** A topic or filter split at '/': split once, matched many times. */
export type Levels = readonly string[];

export function levelsOf(topicOrFilter: string): Levels {
  return topicOrFilter.split('/');
}

function isWildcard(level: string | undefined): boolean {
  return level === MULTI_LEVEL || level === SINGLE_LEVEL;
}

/** [MQTT-4.7.2-1] A filter starting with a wildcard matches no topic starting with '$'. */
function dollarBarred(levels: Levels, wildcardFirst: Levels): boolean {
  return (levels[0] ?? '').startsWith('$') && isWildcard(wildcardFirst[0]);
}

function levelCovered(level: string, allowedLevel: string): boolean {
  if (allowedLevel === SINGLE_LEVEL) return level !== MULTI_LEVEL;
  return level === allowedLevel;
}

/**
 * True when every topic that `filter` can match is also matched by `allowed`, i.e. the filter's
 * topic set is a subset of the allowed one. A plain topic is a filter without wildcards, so this
 * also answers "does this filter match this topic". Subset, not overlap: a filter that could match
 * one forbidden topic is not covered.
 */
export function levelsCoveredBy(filter: Levels, allowed: Levels): boolean {
  if (dollarBarred(filter, allowed)) return false;
  for (let i = 0; i < filter.length; i++) {
    const allowedLevel = allowed[i];
    // [MQTT-4.7.1-2] '#' also matches the parent level, so it covers whatever follows.
    if (allowedLevel === MULTI_LEVEL) return true;
    if (allowedLevel === undefined || !levelCovered(filter[i] ?? '', allowedLevel)) return false;
  }
  const rest = allowed.length - filter.length;
  return rest === 0 || (rest === 1 && allowed[filter.length] === MULTI_LEVEL);
}
