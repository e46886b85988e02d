import { describe, expect, it } from 'vitest';
import { filterCoveredBy } from '../../../broker/rights/topic-filter.js';

describe('filterCoveredBy (every topic the filter matches is matched by the allowed filter)', () => {
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
  ] as const)('%s within %s -> %s', (filter, allowed, expected) => {
    expect(filterCoveredBy(filter, allowed)).toBe(expected);
  });
});
