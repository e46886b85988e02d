/**
 * An abort signal that fires when `ms` pass while armed. A streamed result is armed only while it
 * waits for the server, so the deadline measures the server's silence, not the length of the
 * result or the time its consumer takes.
 */
export class IdleDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private lastLook: NodeJS.Immediate | undefined;

  constructor(readonly ms: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  arm(): void {
    this.disarm();
    this.timer = setTimeout(() => {
      // Timers run before I/O in a turn of the event loop: a process that got no CPU for `ms` would
      // see its timer before the data that arrived meanwhile. One look at I/O first, so a busy
      // machine's lateness is not taken for the server's silence.
      this.lastLook = setImmediate(() => this.controller.abort(new Error(`no data for ${this.ms} ms`)));
    }, this.ms);
  }

  disarm(): void {
    clearTimeout(this.timer);
    clearImmediate(this.lastLook);
    this.timer = undefined;
    this.lastLook = undefined;
  }
}
