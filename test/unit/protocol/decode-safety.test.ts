import { describe, expect, it } from 'vitest';
import {
  boundText,
  decodePayload,
  HealthSchema,
  MAX_JSON_DEPTH,
  MAX_REASON_CHARS,
  ReadingsBatchSchema,
  UnitSchema,
} from '../../../protocol/index.js';
import { exceedsJsonDepth } from '../../../protocol/json-depth.js';

const nested = (levels: number): string => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

describe('exceedsJsonDepth', () => {
  it('counts arrays and objects, and stops at the first bracket past the limit', () => {
    expect(exceedsJsonDepth('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(exceedsJsonDepth('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(exceedsJsonDepth(nested(1_000_000), 32)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(`{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`, 1)).toBe(false);
  });
});

describe('boundText', () => {
  it('keeps short text and cuts long text to the bound, saying so', () => {
    expect(boundText('short', 10)).toBe('short');
    const cut = boundText('x'.repeat(5000), 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toMatch(/… \(5000 characters, cut\)$/);
  });

  it('never leaves half a surrogate pair', () => {
    const cut = boundText('😀'.repeat(100), 50);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('decodePayload on hostile input', () => {
  it('refuses deep nesting anywhere in the message with a code, without walking into it', () => {
    for (const json of [
      `{"v":${nested(20_000)},"seq":1,"readings":[]}`,
      `{"v":1,"seq":1,"readings":${nested(20_000)}}`,
      `{"v":1,"extra":${nested(MAX_JSON_DEPTH)},"seq":1,"readings":[]}`,
    ]) {
      expect(decodePayload(ReadingsBatchSchema, Buffer.from(json))).toMatchObject({
        ok: false,
        code: 'PAYLOAD_TOO_DEEP',
      });
    }
  });

  it('keeps every reason within MAX_REASON_CHARS, whatever the payload quotes', () => {
    const hugeKey = 'k'.repeat(100_000);
    const payloads = [
      { v: 'x'.repeat(1_000_000), seq: 1 },
      { v: 1, seq: 1, readings: Array.from({ length: 200 }, () => ({ [hugeKey]: 1 })) },
      { v: 1, time: 0, uptimeS: 1, outbox: {}, published: {}, sensors: [{ sensor: hugeKey }] },
    ];
    for (const payload of payloads) {
      for (const schema of [ReadingsBatchSchema, HealthSchema]) {
        const decoded = decodePayload(schema, Buffer.from(JSON.stringify(payload)));
        expect(decoded.ok).toBe(false);
        if (!decoded.ok) expect(decoded.reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
      }
    }
  });

  it('names an unsupported version briefly', () => {
    const decoded = decodePayload(ReadingsBatchSchema, Buffer.from('{"v":[[1]],"seq":1,"readings":[]}'));
    expect(decoded).toMatchObject({
      code: 'VERSION_UNSUPPORTED',
      reason: expect.stringMatching(/^message version an array /),
    });
  });
});

describe('UnitSchema and spreadsheets', () => {
  it('refuses units a spreadsheet would read as a formula', () => {
    for (const unit of ['+SUM(1;2)|/.*/{}', '-1', '@A1', '=1+1'])
      expect(UnitSchema.safeParse(unit).success).toBe(false);
  });

  it('still takes UCUM codes', () => {
    for (const unit of ['[ppm]', 'Cel', '%', 'm3/s', '10*-3.m3/s', 'kg.m-2', 'uS/cm']) {
      expect(UnitSchema.safeParse(unit).success).toBe(true);
    }
  });
});
