import { describe, expect, it } from 'vitest';
import { StallWatch } from '../../../ingest/consumer/stall-watch.js';
import { StalledMessages } from '../../../ingest/consumer/stalled-messages.js';

describe('StallWatch', () => {
  it('reports the message in hand once it has sat without progress for the limit', () => {
    const watch = new StallWatch<string>(1000);
    expect(watch.stalled(0)).toBeUndefined();
    watch.begin('m1', 0);
    expect(watch.stalled(999)).toBeUndefined();
    expect(watch.stalled(1000)).toEqual({ inHand: 'm1', idleMs: 1000 });
  });

  it('counts from the last progress, so a write retried for an hour is no stall', () => {
    const watch = new StallWatch<string>(1000);
    watch.begin('m1', 0);
    for (let t = 500; t <= 3_600_000; t += 500) {
      watch.progress(t);
      expect(watch.stalled(t + 999)).toBeUndefined();
    }
  });

  it('forgets a message once it is done', () => {
    const watch = new StallWatch<string>(1000);
    watch.begin('m1', 0);
    watch.end();
    expect(watch.stalled(5000)).toBeUndefined();
  });
});

describe('StalledMessages', () => {
  it('recognises a redelivered message once, by topic and content', () => {
    const stalled = new StalledMessages();
    stalled.remember('fs/v1/a/b/readings', Buffer.from('poison'));
    expect(stalled.take('fs/v1/a/b/readings', Buffer.from('poisoN'))).toBe(false);
    expect(stalled.take('fs/v1/a/c/readings', Buffer.from('poison'))).toBe(false);
    expect(stalled.take('fs/v1/a/b/readings', Buffer.from('poison'))).toBe(true);
    expect(stalled.take('fs/v1/a/b/readings', Buffer.from('poison'))).toBe(false);
  });

  it('keeps at most its capacity, forgetting the oldest', () => {
    const stalled = new StalledMessages(2);
    for (const body of ['a', 'b', 'c']) stalled.remember('t', Buffer.from(body));
    expect(stalled.take('t', Buffer.from('a'))).toBe(false);
    expect(stalled.take('t', Buffer.from('c'))).toBe(true);
  });
});
