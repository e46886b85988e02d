import { describe, expect, it } from 'vitest';
import { csvNumber, csvRecord, csvText } from '../../../api/views/csv.js';

describe('CSV cells', () => {
  it('leaves plain text alone and quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvText('Cel')).toBe('Cel');
    expect(csvText('[ppm]')).toBe('[ppm]');
    expect(csvText('2026-11-27T08:00:00.000Z')).toBe('2026-11-27T08:00:00.000Z');
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    expect(csvText('')).toBe('');
  });

  it.each([
    ['=1+2', `"'=1+2"`],
    ['+SUM(1;2)|/.*/{}', `"'+SUM(1;2)|/.*/{}"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tcmd', `"'\tcmd"`],
    ['\rcmd', `"'\rcmd"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ])('defuses the formula %j as a quoted text cell starting with a quote', (text, cell) => {
    expect(csvText(text)).toBe(cell);
  });

  it('keeps numbers, negative ones included, as numbers and null as an empty cell', () => {
    expect(csvNumber(-1.5)).toBe('-1.5');
    expect(csvNumber(0)).toBe('0');
    expect(csvNumber(null)).toBe('');
  });

  it('joins cells into a record ended by CRLF', () => {
    expect(csvRecord([csvText('a'), csvNumber(1), csvNumber(null)])).toBe('a,1,\r\n');
  });
});
