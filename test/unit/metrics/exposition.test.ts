import { describe, expect, it } from 'vitest';
import { MetricFamilyError, mergeFamilies, renderExposition } from '../../../metrics/exposition.js';
import type { MetricFamily } from '../../../metrics/metric-family.js';

const written: MetricFamily = {
  name: 'fieldstation_ingest_readings_written_total',
  help: 'Readings stored in InfluxDB',
  type: 'counter',
  samples: [{ value: 42 }],
};

describe('renderExposition', () => {
  it('writes HELP and TYPE before the samples and ends with a newline', () => {
    expect(renderExposition([written])).toBe(
      [
        '# HELP fieldstation_ingest_readings_written_total Readings stored in InfluxDB',
        '# TYPE fieldstation_ingest_readings_written_total counter',
        'fieldstation_ingest_readings_written_total 42',
        '',
      ].join('\n'),
    );
  });

  it('writes every sample of a family under one HELP and TYPE, labels in the order given', () => {
    const gaps: MetricFamily = {
      name: 'fieldstation_ingest_sequence_gaps',
      help: 'Messages missing',
      type: 'gauge',
      samples: [
        { labels: { station: 'jinfo', gateway: 'cave-gw-1' }, value: 3 },
        { labels: { station: 'xuefeng', gateway: 'pi-1' }, value: 0 },
      ],
    };
    expect(renderExposition([gaps, written]).split('\n')).toEqual([
      '# HELP fieldstation_ingest_sequence_gaps Messages missing',
      '# TYPE fieldstation_ingest_sequence_gaps gauge',
      'fieldstation_ingest_sequence_gaps{station="jinfo",gateway="cave-gw-1"} 3',
      'fieldstation_ingest_sequence_gaps{station="xuefeng",gateway="pi-1"} 0',
      '# HELP fieldstation_ingest_readings_written_total Readings stored in InfluxDB',
      '# TYPE fieldstation_ingest_readings_written_total counter',
      'fieldstation_ingest_readings_written_total 42',
      '',
    ]);
  });

  it('escapes backslash, double quote and newline in label values', () => {
    const family: MetricFamily = {
      name: 'm',
      help: 'h',
      type: 'gauge',
      samples: [{ labels: { path: 'C:\\data\n"x"' }, value: 1 }],
    };
    expect(renderExposition([family]).split('\n')[2]).toBe('m{path="C:\\\\data\\n\\"x\\""} 1');
  });

  it('escapes backslash and newline in HELP text but leaves double quotes alone', () => {
    const family: MetricFamily = { name: 'm', help: 'a "b" \\ c\nd', type: 'gauge', samples: [] };
    expect(renderExposition([family]).split('\n')[0]).toBe('# HELP m a "b" \\\\ c\\nd');
  });

  it('keeps a family without samples: its HELP and TYPE still say what it will count', () => {
    expect(renderExposition([{ ...written, samples: [] }])).toBe(
      '# HELP fieldstation_ingest_readings_written_total Readings stored in InfluxDB\n' +
        '# TYPE fieldstation_ingest_readings_written_total counter\n',
    );
  });

  it('writes NaN and infinities as the format spells them, and fractions as they are', () => {
    const family: MetricFamily = {
      name: 'm',
      help: 'h',
      type: 'gauge',
      samples: [
        { labels: { k: 'nan' }, value: Number.NaN },
        { labels: { k: 'inf' }, value: Number.POSITIVE_INFINITY },
        { labels: { k: '-inf' }, value: Number.NEGATIVE_INFINITY },
        { labels: { k: 'frac' }, value: 0.25 },
      ],
    };
    expect(renderExposition([family]).split('\n').slice(2, 6)).toEqual([
      'm{k="nan"} NaN',
      'm{k="inf"} +Inf',
      'm{k="-inf"} -Inf',
      'm{k="frac"} 0.25',
    ]);
  });

  it('is empty without families', () => {
    expect(renderExposition([])).toBe('');
  });

  it('refuses metric and label names the format cannot carry', () => {
    expect(() => renderExposition([{ ...written, name: 'readings-written' }])).toThrow(MetricFamilyError);
    const badLabel = { ...written, samples: [{ labels: { 'gateway-id': 'x' }, value: 1 }] };
    expect(() => renderExposition([badLabel])).toThrow(/label name "gateway-id"/);
    const reserved = { ...written, samples: [{ labels: { __name__: 'x' }, value: 1 }] };
    expect(() => renderExposition([reserved])).toThrow(MetricFamilyError);
  });
});

describe('mergeFamilies', () => {
  it('joins the samples of families that share a name, keeping the first HELP', () => {
    const other = { ...written, help: 'other', samples: [{ labels: { part: 'b' }, value: 1 }] };
    expect(mergeFamilies([written, other])).toEqual([
      { ...written, samples: [{ value: 42 }, { labels: { part: 'b' }, value: 1 }] },
    ]);
  });

  it('refuses one name reported as a counter and as a gauge', () => {
    expect(() => mergeFamilies([written, { ...written, type: 'gauge' }])).toThrow(
      expect.objectContaining({ code: 'METRIC_INVALID', family: written.name }),
    );
  });
});
