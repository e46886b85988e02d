import { describe, expect, it } from 'vitest';
import { stationSamples } from '../../../api/routes/metrics/station-samples.js';
import type { MetricFamily } from '../../../metrics/index.js';

const FAMILIES: MetricFamily[] = [
  {
    name: 'fieldstation_ingest_gateway_messages_total',
    help: 'messages',
    type: 'counter',
    samples: [
      { labels: { station: 'jinfo', gateway: 'cave-gw' }, value: 3 },
      { labels: { station: 'xuefeng', gateway: 'line-gw' }, value: 5 },
    ],
  },
  { name: 'fieldstation_api_alerts_firing', help: 'firing', type: 'gauge', samples: [{ value: 2 }] },
  {
    name: 'fieldstation_api_auth_failures_total',
    help: 'failures',
    type: 'counter',
    samples: [{ labels: { reason: 'KEY_MISSING' }, value: 1 }],
  },
];

describe('stationSamples', () => {
  it('drops the samples labelled with a station the key may not see, keeping the families and the rest', () => {
    const scoped = stationSamples(FAMILIES, (station) => station === 'jinfo');
    expect(scoped.map((family) => family.name)).toEqual(FAMILIES.map((family) => family.name));
    expect(scoped[0]?.samples).toEqual([{ labels: { station: 'jinfo', gateway: 'cave-gw' }, value: 3 }]);
    expect(scoped[1]?.samples).toEqual([{ value: 2 }]);
    expect(scoped[2]?.samples).toEqual([{ labels: { reason: 'KEY_MISSING' }, value: 1 }]);
  });

  it('keeps everything for a key of every station', () => {
    expect(stationSamples(FAMILIES, () => true)).toEqual(FAMILIES);
  });
});
