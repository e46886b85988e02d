/** Levels of a topic or filter as MQTT counts them: `a/b` has 2, `a/` and `/a` too ([MQTT-4.7.1-3]). */
export function topicLevels(topic: string): number {
  let levels = 1;
  for (let i = 0; i < topic.length; i++) if (topic.charCodeAt(i) === 0x2f) levels += 1;
  return levels;
}

export function tooDeep(topic: string, maxLevels: number): boolean {
  return topicLevels(topic) > maxLevels;
}
