import { describe, expect, it } from 'vitest';
import { levelsCoveredBy, levelsOf } from '../../../broker/rights/topic-filter.js';

describe('levelsCoveredBy (every topic the filter matches is matched by the allowed filter)', () => {
  it.each([
    ['a/b/c', 'a/b/c', true],
    ['a/b/c', 'a/b/d', false],
    ['a/b/c', 'a/+/c', true],
    ['a/+/c', 'a/b/c', false],
    ['a/+/c', 'a/+/c', true],
    ['a/+/c', 'a/#', true],
    ['a/#', 'a/+', false],
    ['a/#', 'a/#', true],
    ['a/#', 'a/b/#', false],
    ['a', 'a/#', true],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    ['#', 'a/#', false],
    ['+', '+', true],
    ['a//b', 'a/+/b', true],
    ['a/b/c/d', 'a/+/c', false],
    // [MQTT-4.7.2-1] a filter starting with a wildcard reaches no topic starting with '$'
    ['$SYS/x', '#', false],
    ['$SYS/#', '+/#', false],
    ['$SYS/x', '$SYS/#', true],
    ['a/$x', 'a/+', true],
  ] as const)('%s within %s -> %s', (filter, allowed, expected) => {
    expect(levelsCoveredBy(levelsOf(filter), levelsOf(allowed))).toBe(expected);
  });
});
