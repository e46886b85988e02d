/**
 * Wakes one waiting loop. A notify while nobody waits is remembered, so an event that lands between
 * a loop's check and its wait is not lost.
 */
export class Wakeup {
  private pending = false;
  private waiter: (() => void) | undefined;

  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  notify(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter === undefined) this.pending = true;
    else waiter();
  }
}
