// How Node.js runs a gateway on a small Pi: the systemd unit starts it with these, and
// `npm run bench:gateway-memory` measures it the same way. docs/gateway-memory.md has the figures.

/**
 * Node.js options of a gateway process. V8's defaults are made for servers with memory to spare: a
 * young generation of up to 2 × 16 MB, kept once grown, for a process that allocates a few kB a second.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/** Environment of a gateway process, besides its FS_ settings. */
export const GATEWAY_ENVIRONMENT: Readonly<Record<string, string>> = {};
