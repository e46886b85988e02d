import { describe, expect, it } from 'vitest';
import { encodePoint, LineProtocolError } from '../../../influx/index.js';

describe('line protocol', () => {
  it('encodes tags sorted, floats, integers, strings and booleans', () => {
    const line = encodePoint({
      measurement: 'reading',
      tags: { station: 'jinfo', gateway: 'gw-1' },
      fields: { value: { float: 812.4 }, qc: { int: 1 }, note: { str: 'ok' }, flag: { bool: true } },
      timestamp: 1764194400000,
    });
    expect(line).toBe('reading,gateway=gw-1,station=jinfo value=812.4,qc=1i,note="ok",flag=t 1764194400000');
  });

  it('escapes delimiters so no value can add a tag, a field or a line', () => {
    const line = encodePoint({
      measurement: 'my measurement,x',
      tags: { 'a b': 'c,d=e' },
      fields: { reason: { str: 'say "hi" \\ then\nnew line' } },
      timestamp: 1,
    });
    expect(line).toBe('my\\ measurement\\,x,a\\ b=c\\,d\\=e reason="say \\"hi\\" \\\\ then\\nnew line" 1');
    expect(line.split('\n')).toHaveLength(1);
  });

  it('refuses line breaks in keys, empty tag values and non-finite floats', () => {
    const base = { measurement: 'm', tags: {}, fields: { v: { float: 1 } }, timestamp: 1 };
    expect(() => encodePoint({ ...base, tags: { a: 'x\ny' } })).toThrow(LineProtocolError);
    expect(() => encodePoint({ ...base, tags: { a: '' } })).toThrow(LineProtocolError);
    expect(() => encodePoint({ ...base, fields: { v: { float: Number.NaN } } })).toThrow(LineProtocolError);
    expect(() => encodePoint({ ...base, fields: {} })).toThrow(LineProtocolError);
  });
});
