import type { ApiClient } from '../api-client.js';
import type { AlertItem } from '../api-types.js';
import { SseParser } from './sse-parser.js';

const RETRY_MS = 5_000;

/**
 * Follows /v1/alerts/stream. EventSource cannot send the key, so this reads the stream with fetch()
 * and parses it; when the stream ends or fails (the API restarted, the network dropped) it opens it
 * again after a pause, and the stream starts with the firing alerts, so nothing is missed for long.
 */
export class AlertStream {
  private abort: AbortController | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly onAlert: (alert: AlertItem) => void,
    private readonly onState: (connected: boolean) => void,
  ) {}

  start(): void {
    this.abort = new AbortController();
    void this.follow(this.abort.signal);
  }

  stop(): void {
    this.abort?.abort();
    clearTimeout(this.retry);
  }

  private async follow(signal: AbortSignal): Promise<void> {
    try {
      const response = await this.api.fetch('/v1/alerts/stream', {
        signal,
        headers: { accept: 'text/event-stream' },
      });
      if (response.body === null) throw new Error('the alert stream has no body');
      this.onState(true);
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const event of parser.push(value)) {
          if (event.event === 'alert') this.onAlert(JSON.parse(event.data) as AlertItem);
        }
      }
    } catch {
      // Reported through onState below; the stream is opened again unless it was stopped.
    }
    if (signal.aborted) return;
    this.onState(false);
    this.retry = setTimeout(() => void this.follow(signal), RETRY_MS);
  }
}
