import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../dashboard/live/sse-parser.js';

describe('SseParser', () => {
  it('yields events whole, however the stream is cut', () => {
    const text =
      ': ping\n\nevent: alert\ndata: {"rule":"a"}\n\nevent: alert\r\ndata: {"rule":\r\ndata: "b"}\r\n\r\n';
    for (const size of [1, 3, 7, text.length]) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
      expect(events).toEqual([
        { event: 'alert', data: '{"rule":"a"}' },
        { event: 'alert', data: '{"rule":\n"b"}' },
      ]);
    }
  });

  it('ignores comments and unknown fields, and names an unnamed event "message"', () => {
    const parser = new SseParser();
    expect(parser.push(': hello\nid: 4\nretry: 10\ndata:x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });
});
