import { describe, expect, it } from 'vitest';
import { topicMatches } from '../../../broker/persistence/journal/topic-matches.js';

describe('topicMatches', () => {
  it.each([
    ['fs/v1/jinfo/cave-1/readings', 'fs/v1/+/+/readings', true],
    ['fs/v1/jinfo/cave-1/readings', 'fs/v1/#', true],
    ['fs/v1', 'fs/v1/#', true],
    ['fs/v1/jinfo/cave-1/status', 'fs/v1/+/+/readings', false],
    ['fs/v1/jinfo', 'fs/v1/+/+', false],
    ['fs/v1/jinfo/cave-1/x', 'fs/v1/+/+', false],
    ['a//b', 'a/+/b', true],
    ['a/b', 'a/b', true],
    ['a/b', 'a/b/c', false],
    ['a', '#', true],
  ])('%s against %s: %s', (topic, filter, expected) => {
    expect(topicMatches(topic, filter)).toBe(expected);
  });
});
