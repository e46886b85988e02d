import { describe, expect, it } from 'vitest';
import { brokerEnvInEffect, runsUnder } from '../../../bench/process-env.js';
import { BROKER_PROCESS_ENV } from '../../../broker/index.js';

describe('the bench process environment', () => {
  it('runs as product only with BROKER_PROCESS_ENV, and bare only without it', () => {
    expect(runsUnder('product', { PATH: '/bin', ...BROKER_PROCESS_ENV })).toBe(true);
    expect(runsUnder('product', { PATH: '/bin' })).toBe(false);
    expect(runsUnder('product', { MALLOC_MMAP_THRESHOLD_: '1' })).toBe(false);
    expect(runsUnder('bare', { PATH: '/bin' })).toBe(true);
    expect(runsUnder('bare', { ...BROKER_PROCESS_ENV })).toBe(false);
  });

  it('reports the settings in effect, leaving absent ones out', () => {
    expect(brokerEnvInEffect({ PATH: '/bin' })).toEqual([]);
    expect(brokerEnvInEffect({ MALLOC_MMAP_THRESHOLD_: '4194304' })).toEqual([
      'MALLOC_MMAP_THRESHOLD_=4194304',
    ]);
  });
});
