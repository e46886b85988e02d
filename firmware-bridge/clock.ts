export type Timer = ReturnType<typeof setTimeout>;

/** Time and timers behind one port, so batching, retries and sampling run under fake timers in tests. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): Timer;
  clearTimeout(timer: Timer): void;
}

// Looked up on every call (not captured at import) so vitest's fake timers take effect.
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer),
};
