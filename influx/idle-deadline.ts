/**
 * An abort signal that fires when `ms` pass while armed. A streamed result is armed only while it
 * waits for the server, so the deadline measures the server's silence, not the length of the
 * result or the time its consumer takes.
 */
export class IdleDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly ms: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  arm(): void {
    this.disarm();
    this.timer = setTimeout(() => this.controller.abort(new Error(`no data for ${this.ms} ms`)), this.ms);
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
