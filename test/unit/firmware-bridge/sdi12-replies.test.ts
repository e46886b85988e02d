import { describe, expect, it } from 'vitest';
import { isConcurrent, sdi12Commands, usesCrc } from '../../../firmware-bridge/drivers/sdi12/commands.js';
import { withCrc } from '../../../firmware-bridge/drivers/sdi12/crc.js';
import {
  parseAcknowledge,
  parseAddressQuery,
  parseDataReply,
  parseIdentification,
  parseMeasurementStart,
  parseValues,
} from '../../../firmware-bridge/drivers/sdi12/replies.js';

describe('SDI-12 command builders', () => {
  it('builds the commands byte for byte', () => {
    expect(sdi12Commands.acknowledge('0')).toBe('0!');
    expect(sdi12Commands.addressQuery()).toBe('?!');
    expect(sdi12Commands.identify('a')).toBe('aI!');
    expect(sdi12Commands.measure('1', 'M')).toBe('1M!');
    expect(sdi12Commands.measure('1', 'MC')).toBe('1MC!');
    expect(sdi12Commands.measure('Z', 'CC')).toBe('ZCC!');
    expect(sdi12Commands.sendData('3', 0)).toBe('3D0!');
    expect(sdi12Commands.sendData('3', 9)).toBe('3D9!');
  });

  it('knows which commands are concurrent and which carry a CRC', () => {
    expect(['M', 'MC', 'C', 'CC'].map((c) => isConcurrent(c as 'M'))).toEqual([false, false, true, true]);
    expect(['M', 'MC', 'C', 'CC'].map((c) => usesCrc(c as 'M'))).toEqual([false, true, false, true]);
  });
});

describe('SDI-12 reply parsers', () => {
  it('parses acknowledge and address query replies', () => {
    expect(parseAcknowledge('0', '0')).toEqual({ ok: true, value: '0' });
    expect(parseAcknowledge('1', '0')).toMatchObject({ ok: false, code: 'SDI12_WRONG_ADDRESS' });
    expect(parseAcknowledge('0x', '0')).toMatchObject({ ok: false, code: 'SDI12_REPLY_INVALID' });
    expect(parseAddressQuery('b')).toEqual({ ok: true, value: 'b' });
    expect(parseAddressQuery('##')).toMatchObject({ ok: false, code: 'SDI12_REPLY_INVALID' });
  });

  it('splits an identification into its fixed-width fields', () => {
    expect(parseIdentification('013DECAGON GS3   403SN12345', '0')).toEqual({
      ok: true,
      value: {
        address: '0',
        sdi12Version: '13',
        vendor: 'DECAGON',
        model: 'GS3',
        sensorVersion: '403',
        extra: 'SN12345',
      },
    });
    expect(parseIdentification('013short', '0')).toMatchObject({ ok: false, code: 'SDI12_REPLY_INVALID' });
  });

  it('parses atttn after aM! and atttnn after aC!', () => {
    expect(parseMeasurementStart('00053', '0', false)).toEqual({ ok: true, value: { seconds: 5, count: 3 } });
    expect(parseMeasurementStart('a12012', 'a', true)).toEqual({
      ok: true,
      value: { seconds: 120, count: 12 },
    });
    expect(parseMeasurementStart('000512', '0', false)).toMatchObject({
      ok: false,
      code: 'SDI12_REPLY_INVALID',
    });
    expect(parseMeasurementStart('00053', '0', true)).toMatchObject({
      ok: false,
      code: 'SDI12_REPLY_INVALID',
    });
    expect(parseMeasurementStart('10053', '0', false)).toMatchObject({
      ok: false,
      code: 'SDI12_WRONG_ADDRESS',
    });
  });

  it('reads sign-delimited values', () => {
    expect(parseValues('+1.23-4.5+17')).toEqual([1.23, -4.5, 17]);
    expect(parseValues('-.5+0.+22.125')).toEqual([-0.5, 0, 22.125]);
    expect(parseValues('')).toEqual([]);
    expect(parseValues('1.23')).toBeUndefined();
    expect(parseValues('+1.2.3')).toBeUndefined();
    expect(parseValues('+abc')).toBeUndefined();
    expect(parseValues('+1.2 -3')).toBeUndefined();
    expect(parseValues(`+1+${'9'.repeat(309)}`)).toBeUndefined();
  });

  it('parses data replies with and without CRC', () => {
    expect(parseDataReply('0+1.23-4.5', '0', false)).toEqual({ ok: true, value: [1.23, -4.5] });
    expect(parseDataReply('0', '0', false)).toEqual({ ok: true, value: [] });
    expect(parseDataReply(withCrc('0+3.14'), '0', true)).toEqual({ ok: true, value: [3.14] });
    expect(parseDataReply('0+3.14OqY', '0', true)).toMatchObject({ ok: false, code: 'SDI12_CRC' });
    expect(parseDataReply('0+3.14', '0', true)).toMatchObject({ ok: false, code: 'SDI12_CRC' });
    expect(parseDataReply('2+3.14', '0', false)).toMatchObject({ ok: false, code: 'SDI12_WRONG_ADDRESS' });
    expect(parseDataReply('#~?%&', '0', false)).toMatchObject({ ok: false, code: 'SDI12_REPLY_INVALID' });
    expect(parseDataReply('0+1.2x', '0', false)).toMatchObject({ ok: false, code: 'SDI12_REPLY_INVALID' });
  });
});
