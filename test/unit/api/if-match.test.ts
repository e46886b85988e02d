import { describe, expect, it } from 'vitest';
import { parseIfMatch } from '../../../api/routes/alerts/if-match.js';

describe('parseIfMatch', () => {
  it('lists the strong tags without quotes and drops weak ones', () => {
    expect(parseIfMatch('"abc", W/"weak" , "def"')).toEqual(['abc', 'def']);
    expect(parseIfMatch('abc')).toEqual(['abc']);
    expect(parseIfMatch('*')).toEqual(['*']);
    expect(parseIfMatch(undefined)).toEqual([]);
    expect(parseIfMatch(' , ')).toEqual([]);
  });
});
