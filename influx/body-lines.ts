/**
 * The lines of a response body as they arrive, read only as fast as they are consumed, so a slow
 * consumer holds back the server instead of piling its output up in memory. (readline's iterator
 * would queue a thousand lines first; a line of a chunked result holds a whole chunk.)
 */
export async function* bodyLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending: string[] = [];
  for await (const bytes of body) {
    const parts = decoder.decode(bytes, { stream: true }).split('\n');
    const last = parts.pop() ?? '';
    for (const part of parts) {
      pending.push(part);
      yield pending.join('');
      pending = [];
    }
    if (last !== '') pending.push(last);
  }
  const rest = pending.join('') + decoder.decode();
  if (rest !== '') yield rest;
}
