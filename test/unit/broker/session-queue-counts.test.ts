import { describe, expect, it } from 'vitest';
import { SessionQueueCounts } from '../../../broker/limits/session-queue-counts.js';

describe('SessionQueueCounts', () => {
  it('queues up to the limit for an offline session, then drops, announcing the first drop only', () => {
    const counts = new SessionQueueCounts(2);
    expect([counts.admit('s', false), counts.admit('s', false)]).toEqual(['queued', 'queued']);
    expect([counts.admit('s', false), counts.admit('s', false)]).toEqual(['first drop', 'drop']);
    expect(counts.countOf('s')).toBe(2);
  });

  it('always queues for a connected session', () => {
    const counts = new SessionQueueCounts(1);
    counts.admit('s', false);
    expect(counts.admit('s', true)).toBe('queued');
    expect(counts.countOf('s')).toBe(2);
  });

  it('takes a new episode of drops once a cleared message made room', () => {
    const counts = new SessionQueueCounts(1);
    counts.admit('s', false);
    expect(counts.admit('s', false)).toBe('first drop');
    counts.removed('s');
    expect(counts.admit('s', false)).toBe('queued');
    expect(counts.admit('s', false)).toBe('first drop');
  });

  it('never counts below zero, and forgets a discarded session', () => {
    const counts = new SessionQueueCounts(5);
    counts.recounted('s', 0);
    counts.removed('s');
    expect(counts.countOf('s')).toBe(0);
    counts.removed('unknown');
    expect(counts.knows('unknown')).toBe(false);
    counts.recounted('s', 3);
    expect(counts.countOf('s')).toBe(3);
    counts.forget('s');
    expect(counts.knows('s')).toBe(false);
  });
});
