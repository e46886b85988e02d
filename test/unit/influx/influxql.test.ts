import { describe, expect, it } from 'vitest';
import {
  checkDialect,
  durationLiteral,
  InfluxError,
  quoteIdentifier,
  quoteString,
} from '../../../influx/index.js';

describe('InfluxQL literals', () => {
  it('escapes quotes and backslashes', () => {
    expect(quoteString("it's \\ here")).toBe("'it\\'s \\\\ here'");
    expect(quoteIdentifier('a"b')).toBe('"a\\"b"');
  });

  it('lets only plain durations through', () => {
    expect(durationLiteral('5m')).toBe('5m');
    for (const bad of ['5', '0m', '5m; DROP DATABASE x', '1y', '-5m', '5 m']) {
      expect(() => durationLiteral(bad)).toThrow(RangeError);
    }
  });
});

describe('dialect check', () => {
  const v1 = { dialect: 'v1', url: 'http://127.0.0.1:8086', database: 'fieldstation' } as const;
  const v2 = {
    dialect: 'v2',
    url: 'http://127.0.0.1:8086',
    token: 't',
    org: 'o',
    bucket: 'b',
    database: 'b',
  } as const;

  it('accepts matching servers', () => {
    expect(() => checkDialect(v1, { version: '1.6.7~rc0', major: 1 })).not.toThrow();
    expect(() => checkDialect(v2, { version: 'v2.7.10', major: 2 })).not.toThrow();
    expect(() => checkDialect(v2, { version: '3.0.1', major: 3 })).not.toThrow();
  });

  it('names the setting to change on a mismatch', () => {
    expect(() => checkDialect(v1, { version: 'v2.7.10', major: 2 })).toThrow(/FS_INFLUX_DIALECT=v2/);
    expect(() => checkDialect(v2, { version: '1.8.10', major: 1 })).toThrow(InfluxError);
  });
});
