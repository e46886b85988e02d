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
