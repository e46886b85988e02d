import { describe, expect, it } from 'vitest';
import { encodeCompletenessCsv } from '../../../api/routes/completeness/completeness-csv.js';
import type { CompletenessDocument } from '../../../api/routes/completeness/completeness-schema.js';

const W1 = { from: '2026-11-27T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z' };
const W2 = { from: '2026-11-28T00:00:00.000Z', to: '2026-11-29T00:00:00.000Z' };

const DOCUMENT: CompletenessDocument = {
  station: 'jinfo',
  from: W1.from,
  to: W2.to,
  every: '1d',
  gateways: [
    {
      gateway: 'pi-1',
      windows: [
        { ...W1, messages: 100, duplicates: 2, late: 1 },
        { ...W2, messages: null, duplicates: null, late: null },
      ],
      sensors: [
        {
          sensor: 'co2-1',
          quantity: 'co2',
          intervalMs: 60_000,
          windows: [
            {
              ...W1,
              expected: 1440,
              received: 1400,
              missing: 40,
              gaps: [
                ['2026-11-27T01:00:00.000Z', '2026-11-27T01:40:00.000Z'],
                ['2026-11-27T23:59:00.000Z', '2026-11-28T00:00:00.000Z'],
              ],
              gapsTruncated: false,
            },
            { ...W2, expected: 1440, received: 1440, missing: 0, gaps: [], gapsTruncated: true },
          ],
        },
        {
          sensor: 'x-1',
          quantity: 'voltage',
          intervalMs: null,
          windows: [
            { ...W1, expected: null, received: 3, missing: null, gaps: null, gapsTruncated: false },
            { ...W2, expected: null, received: 0, missing: null, gaps: null, gapsTruncated: false },
          ],
        },
      ],
    },
    { gateway: 'pi-9', windows: [{ ...W1, messages: 5, duplicates: 0, late: 0 }], sensors: [] },
  ],
};

describe('completeness CSV', () => {
  it('has one row per gateway, sensor row and window; gateway figures repeat, nulls are empty cells', () => {
    expect(encodeCompletenessCsv(DOCUMENT).split('\r\n')).toEqual([
      'station,gateway,sensor,quantity,from,to,interval_ms,expected,received,missing,messages,duplicates,late,gap_count,gaps,gaps_truncated',
      `jinfo,pi-1,co2-1,co2,${W1.from},${W1.to},60000,1440,1400,40,100,2,1,2,` +
        '2026-11-27T01:00:00.000Z/2026-11-27T01:40:00.000Z 2026-11-27T23:59:00.000Z/2026-11-28T00:00:00.000Z,false',
      `jinfo,pi-1,co2-1,co2,${W2.from},${W2.to},60000,1440,1440,0,,,,0,,true`,
      `jinfo,pi-1,x-1,voltage,${W1.from},${W1.to},,,3,,100,2,1,,,`,
      `jinfo,pi-1,x-1,voltage,${W2.from},${W2.to},,,0,,,,,,,`,
      `jinfo,pi-9,,,${W1.from},${W1.to},,,,,5,0,0,,,`,
      '',
    ]);
  });
});
