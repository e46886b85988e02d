import { describe, expect, it } from 'vitest';
import { cutText } from '../../../api/views/cut-text.js';

describe('cutText', () => {
  it('leaves text within the bound alone', () => {
    expect(cutText('abc', 3)).toEqual({ text: 'abc', cut: false });
  });

  it('cuts longer text and says so', () => {
    expect(cutText('abcdef', 4)).toEqual({ text: 'abcd', cut: true });
  });

  it('never splits a surrogate pair', () => {
    expect(cutText('ab😀cd', 3)).toEqual({ text: 'ab', cut: true });
    expect(cutText('ab😀cd', 4)).toEqual({ text: 'ab😀', cut: true });
  });
});
