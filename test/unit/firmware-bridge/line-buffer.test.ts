import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../../firmware-bridge/drivers/serial/line-buffer.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('LineBuffer', () => {
  it('cuts lines at newlines across chunks, keeping CR for the parser to trim', () => {
    const buffer = new LineBuffer(16);
    expect(buffer.push(bytes('17\r\n1'))).toEqual([{ kind: 'line', text: '17\r' }]);
    expect(buffer.push(bytes('8'))).toEqual([]);
    expect(buffer.push(bytes('\n\n19\n'))).toEqual([
      { kind: 'line', text: '18' },
      { kind: 'line', text: '' },
      { kind: 'line', text: '19' },
    ]);
  });

  it('joins a multi-byte character split between chunks', () => {
    const buffer = new LineBuffer(16);
    const text = bytes('度\n');
    expect(buffer.push(text.subarray(0, 2))).toEqual([]);
    expect(buffer.push(text.subarray(2))).toEqual([{ kind: 'line', text: '度' }]);
  });

  it('takes a line of exactly maxBytes, reports a longer one as it overflows and drops it to its newline', () => {
    const buffer = new LineBuffer(8);
    expect(buffer.push(bytes('12345678\n'))).toEqual([{ kind: 'line', text: '12345678' }]);
    expect(buffer.push(bytes('123456789'))).toEqual([{ kind: 'overflow' }]);
    expect(buffer.push(bytes('abc\nok\n'))).toEqual([{ kind: 'line', text: 'ok' }]);
  });

  it('keeps counting endless noise without holding it', () => {
    const buffer = new LineBuffer(8);
    // 8 held, overflow at byte 9, again at 17 and 25.
    expect(buffer.push(Buffer.alloc(25, 0x41))).toEqual([
      { kind: 'overflow' },
      { kind: 'overflow' },
      { kind: 'overflow' },
    ]);
    expect(buffer.push(Buffer.alloc(7, 0x41))).toEqual([]);
    expect(buffer.push(Buffer.alloc(1, 0x41))).toEqual([{ kind: 'overflow' }]);
    expect(buffer.push(bytes('\n42\n'))).toEqual([{ kind: 'line', text: '42' }]);
  });
});
