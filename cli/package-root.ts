import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's folder, whether the CLI runs from `dist/` or from sources under tsx. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export function bundledConfig(...parts: string[]): string {
  return join(packageRoot(), 'config', ...parts);
}

/** The gateway's bundle (scripts/bundle-gateway.ts), built by `npm run build`; its systemd unit runs it. */
export function gatewayBundleDir(): string {
  return join(packageRoot(), 'dist', 'gateway');
}
