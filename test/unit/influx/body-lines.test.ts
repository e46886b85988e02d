import { describe, expect, it } from 'vitest';
import { bodyLines } from '../../../influx/body-lines.js';

function body(...parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

async function collect(source: AsyncIterable<string>): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of source) lines.push(line);
  return lines;
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('bodyLines', () => {
  it('joins lines split across reads and keeps a last line without a line break', async () => {
    expect(
      await collect(bodyLines(body(bytes('{"a":'), bytes('1}\n{"b"'), bytes(':2}\n\n{"c":3}')))),
    ).toEqual(['{"a":1}', '{"b":2}', '', '{"c":3}']);
  });

  it('decodes a character whose bytes arrive in two reads', async () => {
    const encoded = bytes('µg/m³\n');
    expect(await collect(bodyLines(body(encoded.slice(0, 1), encoded.slice(1))))).toEqual(['µg/m³']);
  });
});
