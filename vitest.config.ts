import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/harness/require-binaries.ts'],
    // Ceilings for a machine that is busy with other work, as CI's may be; tests await events, so a
    // passing run never waits for them.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites each start their own influxd/socat; two cores cannot run many at once.
    maxWorkers: 2,
  },
});
