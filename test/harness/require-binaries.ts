import { execFileSync } from 'node:child_process';

/** Binaries the integration suites run for real, and the Debian package that brings each. */
const REQUIRED = [
  { binary: 'influxd', pkg: 'influxdb' },
  { binary: 'socat', pkg: 'socat' },
  { binary: 'mosquitto_pub', pkg: 'mosquitto-clients' },
  { binary: 'mosquitto_sub', pkg: 'mosquitto-clients' },
  { binary: 'mosquitto', pkg: 'mosquitto' },
  { binary: 'redis-server', pkg: 'redis-server' },
  { binary: 'openssl', pkg: 'openssl' },
  { binary: 'chromium', pkg: 'chromium' },
] as const;

function onPath(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** vitest globalSetup: a missing binary fails the run by name instead of skipping tests silently. */
export default function requireBinaries(): void {
  const missing = REQUIRED.filter(({ binary }) => !onPath(binary));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map(({ pkg }) => pkg))].join(' ');
  throw new Error(
    `missing ${missing.map(({ binary }) => binary).join(', ')}; install with: sudo apt-get install -y ${packages}`,
  );
}
