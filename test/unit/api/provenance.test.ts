import { describe, expect, it } from 'vitest';
import { buildProvenance, provenanceComments } from '../../../api/routes/series/provenance.js';
import { wideColumns } from '../../../api/routes/series/wide-columns.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const CO2 = { station: 'jinfo', gateway: 'pi-1', sensor: 'co2-1', quantity: 'co2', unit: '[ppm]' };
const TEMP = { ...CO2, sensor: 't-1', quantity: 'temperature', unit: 'Cel' };

const provenance = buildProvenance({
  station: 'jinfo',
  parameters: new URLSearchParams([
    ['station', 'jinfo'],
    ['sensor', 'co2-1'],
    ['sensor', 't-1'],
    ['from', new Date(T0).toISOString()],
    ['to', new Date(T0 + 3_600_000).toISOString()],
    ['every', '1m'],
    ['fn', 'mean'],
    ['layout', 'wide'],
  ]),
  generatedAtMs: T0 + 7_200_000,
  fromMs: T0,
  toMs: T0 + 3_600_000,
  every: '1m',
  fn: 'mean',
  layout: 'wide',
  series: [CO2, TEMP],
  columns: wideColumns([CO2, TEMP]),
  intervalOf: (tags) => (tags.sensor === 'co2-1' ? 60_000 : undefined),
});

describe('export provenance', () => {
  it('names the query, the time, the sensors with units and columns, and the QC flags', () => {
    expect(provenance.query.parameters).toMatchObject({ sensor: ['co2-1', 't-1'], every: '1m' });
    expect(provenance.series).toEqual([
      { ...CO2, intervalMs: 60_000, columns: { value: 'co2-1 co2 [ppm]', qc: 'co2-1 co2 qc' }, meta: null },
      {
        ...TEMP,
        intervalMs: null,
        columns: { value: 't-1 temperature Cel', qc: 't-1 temperature qc' },
        meta: null,
      },
    ]);
    expect(provenance.qcFlags.map((f) => f.flag)).toEqual([1, 2, 3, 4, 9]);
  });

  it('writes a block of # lines, one key each, that a comment-skipping reader drops', () => {
    const block = provenanceComments(provenance);
    const lines = block.split('\r\n').slice(0, -1);
    expect(lines.every((line) => /^# [a-z_ ]+(: |$)/.test(line))).toBe(true);
    expect(block).toContain('# station: jinfo\r\n');
    expect(block).toContain(
      `# query: GET /v1/series?station=jinfo&sensor=co2-1&sensor=t-1&from=${encodeURIComponent(new Date(T0).toISOString())}`,
    );
    expect(block).toContain('# generated_at: 2026-11-27T10:00:00.000Z\r\n');
    expect(block).toContain(
      '# qc_flags: 1 pass, 2 not evaluated, 3 suspect, 4 fail, 9 missing; a window carries its worst flag',
    );
    expect(block).toContain(
      '# sensor: co2-1 gateway=pi-1 quantity=co2 unit=[ppm] interval_ms=60000 columns="co2-1 co2 [ppm]","co2-1 co2 qc"',
    );
    expect(block).toContain('interval_ms=unknown');
  });

  it('keeps a stored tag with a line break on its own comment line', () => {
    const odd = buildProvenance({
      ...{ station: 'jinfo' },
      parameters: new URLSearchParams(),
      generatedAtMs: T0,
      fromMs: T0,
      toMs: T0 + 1,
      every: null,
      fn: null,
      layout: 'long',
      series: [{ ...CO2, unit: 'a\r\nb' }],
      columns: undefined,
      intervalOf: () => undefined,
    });
    const lines = provenanceComments(odd).split('\r\n').slice(0, -1);
    expect(lines.every((line) => line.startsWith('# '))).toBe(true);
  });
});
