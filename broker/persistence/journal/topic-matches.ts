/**
 * Whether `topic` matches the subscription `filter`, as aedes-persistence's memory store matches
 * (qlobber with MQTT's wildcards): '+' is one level, '#' the rest, the parent level included
 * ([MQTT-4.7.1-2]). Topics starting with '$' are not special here: Aedes drops wildcard
 * subscribers of $SYS topics itself before it queues for them.
 */
export function topicMatches(topic: string, filter: string): boolean {
  const levels = topic.split('/');
  const wanted = filter.split('/');
  for (let i = 0; i < wanted.length; i++) {
    const level = wanted[i];
    if (level === '#') return i === wanted.length - 1;
    if (i >= levels.length) return false;
    if (level !== '+' && level !== levels[i]) return false;
  }
  return levels.length === wanted.length;
}
