import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from './cli-process.js';

/**
 * Builds the dashboard into dist/dashboard, as `npm ci` does, so a browser test runs what the sources
 * say now and not what an earlier build left there.
 */
export async function buildDashboard(): Promise<void> {
  await promisify(execFile)('npm', ['run', '--silent', 'build:dashboard'], { cwd: REPO_ROOT });
}
