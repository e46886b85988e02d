// The gateway as its systemd unit runs it: cli/gateway-main.ts bundled and minified into
// dist/gateway/ by `npm run build`. A gateway keeps the source text of every module it loads in its
// heap for as long as it runs; one minified bundle of what it uses, instead of the full sources of
// zod, MQTT.js, Johnny-Five and the rest, is about 4 MB less resident on a Pi (docs/gateway-memory.md).
// Run alone: `tsx scripts/bundle-gateway.ts [outdir]`.
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { gatewayBundleDir } from '../cli/package-root.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Left for node to load from node_modules: native add-ons, which are found beside their own
 * package.json, and Johnny-Five, whose parts the Firmata driver loads by path (createRequire).
 */
const EXTERNAL = ['@serialport/bindings-cpp', 'johnny-five'];

// The bundle is ESM; CommonJS dependencies inside it still call require() for Node's built-ins.
// The import's name is one no module uses, since the bundle's own names are not renamed around it.
const REQUIRE_SHIM =
  "import { createRequire as bundleRequireOf } from 'node:module'; const require = bundleRequireOf(import.meta.url);";

export async function bundleGateway(outdir: string = gatewayBundleDir()): Promise<void> {
  // Chunk names change with their content: the chunks of an earlier build would stay beside these.
  await rm(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { main: join(ROOT, 'cli', 'gateway-main.ts') },
    outdir,
    bundle: true,
    // Drivers a config does not use stay in chunks of their own, never loaded.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Keeping names (keepNames) would cost half of the gain. Error codes and messages are kept; a
    // stack trace from the field is read with the .map files beside the bundle, which node never
    // loads unless started with --enable-source-maps.
    minify: true,
    sourcemap: 'external',
    legalComments: 'linked',
    external: EXTERNAL,
    banner: { js: REQUIRE_SHIM },
    logLevel: 'warning',
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundleGateway(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
}
