import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build` puts the dashboard (`dist/dashboard` of the package), whether the API runs
 * from `dist/` or from sources under tsx: the first folder above this module that holds package.json.
 */
export function builtDashboardDir(): string {
  const here = fileURLToPath(import.meta.url);
  let dir = dirname(here);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${here}: cannot find the built dashboard`);
    dir = parent;
  }
  return join(dir, 'dist', 'dashboard');
}
