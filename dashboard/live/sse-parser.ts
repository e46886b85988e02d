/** One server-sent event: its `event:` name and its `data:` lines joined. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Splits a server-sent event stream into events as its text arrives in arbitrary pieces
 * (WHATWG HTML §9.2.6: blank line ends an event, `:` lines are comments, `data` lines join with \n).
 * Pure, so it is tested without a network.
 */
export class SseParser {
  private buffer = '';
  private event = 'message';
  private data: string[] = [];

  push(text: string): SseEvent[] {
    this.buffer += text;
    // A CR at the end may be the first half of a CRLF: wait for the next chunk to know.
    const held = this.buffer.endsWith('\r') ? '\r' : '';
    const lines = this.buffer.slice(0, this.buffer.length - held.length).split(/\r\n|\r|\n/);
    // The last piece may be half a line: keep it for the next chunk.
    this.buffer = (lines.pop() ?? '') + held;
    return lines.flatMap((line) => this.line(line));
  }

  private line(line: string): SseEvent[] {
    if (line === '') {
      const done = this.data.length === 0 ? [] : [{ event: this.event, data: this.data.join('\n') }];
      this.event = 'message';
      this.data = [];
      return done;
    }
    if (line.startsWith(':')) return [];
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    return [];
  }
}
