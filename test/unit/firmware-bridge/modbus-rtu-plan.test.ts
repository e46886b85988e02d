import { describe, expect, it } from 'vitest';
import type { ModbusRtuDriverConfig } from '../../../firmware-bridge/drivers/modbus-rtu/config.js';
import { readOutcome } from '../../../firmware-bridge/drivers/modbus-rtu/read-outcome.js';
import {
  decodeRead,
  type ModbusSensorConfig,
  readBlocks,
  singleReads,
} from '../../../firmware-bridge/drivers/modbus-rtu/read-plan.js';

function sensor(
  id: string,
  driver: Partial<ModbusRtuDriverConfig> & Pick<ModbusRtuDriverConfig, 'address' | 'dataType'>,
  intervalMs = 1000,
): ModbusSensorConfig {
  return {
    id,
    quantity: 'temperature',
    unit: 'Cel',
    intervalMs,
    driver: { type: 'modbus-rtu', port: 'bus', unitId: 1, function: 3, scale: 1, offset: 0, ...driver },
  };
}

const requests = (blocks: ReturnType<typeof readBlocks>) =>
  blocks.map(({ request, values, periodMs }) => ({
    ...request,
    sensors: values.map((v) => v.sensor),
    periodMs,
  }));

describe('Modbus read plan', () => {
  it('reads adjacent registers of one unit, function and interval together, never across a gap', () => {
    const blocks = readBlocks(
      [
        sensor('t', { address: 0, dataType: 'int16' }),
        sensor('rh', { address: 1, dataType: 'uint16' }),
        sensor('p', { address: 2, dataType: 'float32' }),
        sensor('gap', { address: 10, dataType: 'int16' }),
        sensor('input', { address: 3, dataType: 'int16', function: 4 }),
        sensor('other-unit', { address: 3, dataType: 'int16', unitId: 2 }),
        sensor('slow', { address: 4, dataType: 'int16' }, 60_000),
      ],
      1,
      32,
    );
    expect(requests(blocks)).toEqual([
      { unitId: 1, function: 3, address: 0, count: 4, sensors: ['t', 'rh', 'p'], periodMs: 1000 },
      { unitId: 1, function: 3, address: 10, count: 1, sensors: ['gap'], periodMs: 1000 },
      { unitId: 1, function: 4, address: 3, count: 1, sensors: ['input'], periodMs: 1000 },
      { unitId: 2, function: 3, address: 3, count: 1, sensors: ['other-unit'], periodMs: 1000 },
      { unitId: 1, function: 3, address: 4, count: 1, sensors: ['slow'], periodMs: 60_000 },
    ]);
  });

  it('keeps each read within maxRegistersPerRead and shares overlapping registers', () => {
    const blocks = readBlocks(
      [
        sensor('a', { address: 0, dataType: 'uint32' }),
        sensor('a-low', { address: 1, dataType: 'uint16' }),
        sensor('b', { address: 2, dataType: 'uint32' }),
        sensor('c', { address: 4, dataType: 'uint32' }),
      ],
      1,
      4,
    );
    expect(requests(blocks).map(({ address, count, sensors }) => ({ address, count, sensors }))).toEqual([
      { address: 0, count: 4, sensors: ['a', 'a-low', 'b'] },
      { address: 4, count: 2, sensors: ['c'] },
    ]);
  });

  it('scales the interval, with a floor', () => {
    const [fast, floor] = readBlocks(
      [
        sensor('a', { address: 0, dataType: 'int16' }, 60_000),
        sensor('b', { address: 5, dataType: 'int16' }, 1000),
      ],
      0.01,
      32,
    );
    expect(fast?.periodMs).toBe(600);
    expect(floor?.periodMs).toBe(100);
  });

  it('decodes each sensor from its own registers, with the register scale and offset', () => {
    const [block] = readBlocks(
      [
        sensor('t', { address: 100, dataType: 'int16', scale: 0.1 }),
        sensor('e', { address: 101, dataType: 'uint32', wordOrder: 'little', offset: -1 }),
      ],
      1,
      32,
    );
    if (block === undefined) throw new Error('no block');
    expect(decodeRead(block, [0xff9c, 0x0002, 0x0001])).toEqual([
      { sensor: 't', value: -10 },
      { sensor: 'e', value: 65_537 },
    ]);
    expect(singleReads(block).map((read) => read.request)).toEqual([
      { unitId: 1, function: 3, address: 100, count: 1 },
      { unitId: 1, function: 3, address: 101, count: 2 },
    ]);
  });

  it('turns transactions into samples and faults that name unit, function and address', () => {
    const [block] = readBlocks(
      [sensor('t', { address: 7, dataType: 'int16' }), sensor('f', { address: 8, dataType: 'float32' })],
      1,
      32,
    );
    if (block === undefined) throw new Error('no block');
    const outcome = (result: Parameters<typeof readOutcome>[1]['result'], tries = 1) =>
      readOutcome(block, { result, tries }, 250);
    expect(outcome({ kind: 'registers', words: [5, 0x7fc0, 0] })).toEqual({
      samples: [{ sensor: 't', value: 5 }],
      faults: [
        {
          code: 'MODBUS_VALUE_INVALID',
          message: 'unit 1 function 3 address 7 (3 registers): float32 at address 8 is NaN, not a number',
          sensors: ['f'],
        },
      ],
    });
    const faults = (result: Parameters<typeof outcome>[0], tries?: number) =>
      outcome(result, tries).faults.map(({ code, message }) => `${code} ${message}`);
    const at = 'unit 1 function 3 address 7 (3 registers)';
    expect(faults({ kind: 'timeout', received: 0 }, 2)).toEqual([
      `MODBUS_TIMEOUT ${at}: no reply within 250 ms (2 tries)`,
    ]);
    expect(faults({ kind: 'timeout', received: 4 })).toEqual([
      `MODBUS_REPLY_INVALID ${at}: incomplete reply: 4 byte(s) within 250 ms`,
    ]);
    expect(faults({ kind: 'exception', exceptionCode: 2 })).toEqual([
      `MODBUS_ILLEGAL_ADDRESS ${at}: exception 2 (illegal data address)`,
    ]);
    expect(faults({ kind: 'exception', exceptionCode: 6 })).toEqual([
      `MODBUS_DEVICE_BUSY ${at}: exception 6 (server device busy)`,
    ]);
    expect(faults({ kind: 'exception', exceptionCode: 4 })).toEqual([
      `MODBUS_EXCEPTION ${at}: exception 4 (server device failure)`,
    ]);
    expect(faults({ kind: 'crc' })).toEqual([`MODBUS_CRC ${at}: reply failed its CRC check`]);
    expect(faults({ kind: 'not-open' })).toEqual([`SERIAL_CLOSED ${at}: port is not open; reopening`]);
    expect(outcome({ kind: 'crc' }).faults[0]?.sensors).toEqual(['t', 'f']);
    expect(outcome({ kind: 'stopped' })).toEqual({ samples: [], faults: [] });
  });
});
