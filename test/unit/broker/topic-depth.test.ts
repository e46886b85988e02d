import { describe, expect, it } from 'vitest';
import { tooDeep, topicLevels } from '../../../broker/limits/topic-depth.js';

describe('topic depth', () => {
  it('counts levels as MQTT does, empty ones included', () => {
    expect(topicLevels('fs/v1/jinfo/cave-1/readings')).toBe(5);
    expect(topicLevels('a')).toBe(1);
    expect(topicLevels('/a/')).toBe(3);
    expect(topicLevels('fs/#')).toBe(2);
  });

  it('is too deep only past the limit', () => {
    expect(tooDeep('a/b/c', 3)).toBe(false);
    expect(tooDeep('a/b/c/d', 3)).toBe(true);
  });
});
