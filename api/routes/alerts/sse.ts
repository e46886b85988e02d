import type { ServerResponse } from 'node:http';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // The stream holds its connection for good; closing it after the stream ends lets shutdown finish at once.
  connection: 'close',
  // Proxies such as nginx would otherwise hold events back in their buffers.
  'x-accel-buffering': 'no',
} as const;

/** One server-sent event; JSON.stringify never emits a line break, so one `data:` line suffices. */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const SSE_PING = ': ping\n\n';

/** Bytes a stream may hold back for a client that does not read before it is cut off. */
export const SSE_MAX_BUFFERED = 1024 * 1024;

/**
 * Writes to an event stream, or drops a client that has stopped reading: what it does not take would
 * otherwise pile up in the API's memory for as long as it keeps the connection (an alert storm, a
 * stalled proxy). Its EventSource reconnects and is sent the firing alerts again.
 */
export function sseWrite(response: ServerResponse, text: string): void {
  if (response.destroyed) return;
  if (response.writableLength > SSE_MAX_BUFFERED) {
    response.destroy();
    return;
  }
  response.write(text);
}

/** Open event streams, so shutting down can end them instead of waiting for clients to leave. */
export class SseConnections {
  private readonly open = new Set<ServerResponse>();

  get size(): number {
    return this.open.size;
  }

  add(response: ServerResponse, cleanup: () => void): void {
    this.open.add(response);
    response.once('close', () => {
      this.open.delete(response);
      cleanup();
    });
  }

  endAll(): void {
    for (const response of this.open) response.end();
  }
}
