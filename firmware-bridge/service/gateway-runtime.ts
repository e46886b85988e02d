// How Node.js runs a gateway on a small Pi: the systemd unit starts it with these, and
// `npm run bench:gateway-memory` measures it the same way. docs/gateway-memory.md has the figures.

/**
 * Node.js options of a gateway process. V8's defaults are made for servers with memory to spare;
 * a gateway allocates a few kB a second and runs no hot loop worth optimised machine code.
 * - `--max-semi-space-size=1`: a young generation of 2 × 1 MB instead of up to 2 × 16 MB, which V8
 *   keeps once grown (during start-up) and a gateway never needs again.
 * - `--lite-mode`: V8 interprets and compiles nothing to machine code (in Node.js 20 it implies
 *   `--jitless`), and keeps feedback only for functions that run often: about 7 MB less of V8's own
 *   memory and 5 MB less of the node binary paged in, at no CPU cost we could measure (a gateway
 *   handles a few readings a second). Not allowed in NODE_OPTIONS, so it is an argument of the
 *   unit's command.
 * - `--no-expose-wasm`: said outright, since lite mode turns WebAssembly off anyway (nothing in a
 *   gateway uses it); otherwise V8 prints a warning about the conflict at every start.
 * - `--gc-global`: every collection is a full one. With a small young generation, start-up's
 *   short-lived objects reach the old generation, which V8 otherwise leaves to grow until its memory
 *   reducer's first full collection about 8 s later: a peak 3–4 MB over the steady state. Once
 *   started, a gateway allocates so little that the full collections cost about 0.2% of a core.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=1',
  '--lite-mode',
  '--no-expose-wasm',
  '--gc-global',
];
