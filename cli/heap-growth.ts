import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what its last full collection kept: 100% (a factor
 * of 2) instead of V8's own choice, which under a steady stream of messages went up to 4 and left
 * tens of MiB of dead objects resident in each of `up`'s two heaps (the broker's thread and the
 * ingest's). In the one-reading pipeline bench with its latency phase (`--gateways 5 --batch 1
 * --readings 100000 --latency-rate 10000 --baseline-seconds 0`), peak RSS was 261–280 MiB with V8's
 * choice, 219–221 with 100 and 206 with 50; 50 also cost a tenth of the 50-reading throughput,
 * 100 no difference we could tell from the noise (the README's Performance section has the runs).
 */
export const HEAP_GROWING_PERCENT = 100;

/**
 * Sets it for this process, before its heap has grown: V8 reads the flag whenever it sets the next
 * limit, for every isolate, so the broker's worker thread, started later, has it too. A V8 option,
 * not one NODE_OPTIONS accepts, hence set here rather than in the environment.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
