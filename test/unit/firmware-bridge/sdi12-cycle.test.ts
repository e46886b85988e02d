import { describe, expect, it } from 'vitest';
import { dataParts, EmulatedSdi12Sensor } from '../../../emulators/sdi12/emulated-sensor.js';
import { withCrc } from '../../../firmware-bridge/drivers/sdi12/crc.js';
import { MeasurementCycle } from '../../../firmware-bridge/drivers/sdi12/measurement-cycle.js';
import {
  MIN_PERIOD_MS,
  measurementGroups,
  type Sdi12SensorConfig,
} from '../../../firmware-bridge/drivers/sdi12/measurement-groups.js';

describe('MeasurementCycle', () => {
  it('runs aM! -> atttn -> wait for the service request -> aD0!, aD1! until n values are in', () => {
    const cycle = new MeasurementCycle('0', 'M');
    expect(cycle.start()).toEqual({ kind: 'send', command: '0M!' });
    expect(cycle.onReply('00023')).toEqual({ kind: 'wait', ms: 2000, serviceRequest: true });
    expect(cycle.isServiceRequest('1')).toBe(false);
    expect(cycle.isServiceRequest('0')).toBe(true);
    expect(cycle.onReady()).toEqual({ kind: 'send', command: '0D0!' });
    expect(cycle.onReply('0+1.5-2')).toEqual({ kind: 'send', command: '0D1!' });
    expect(cycle.onReply('0+3.25')).toEqual({ kind: 'done', values: [1.5, -2, 3.25], announced: 3 });
  });

  it('asks for the data at once when ttt is 0, and is done at once when n is 0', () => {
    const cycle = new MeasurementCycle('5', 'M');
    cycle.start();
    expect(cycle.onReply('50001')).toEqual({ kind: 'send', command: '5D0!' });
    const empty = new MeasurementCycle('5', 'M');
    empty.start();
    expect(empty.onReply('50000')).toEqual({ kind: 'done', values: [], announced: 0 });
  });

  it('waits the time out without a service request for concurrent measurements', () => {
    const cycle = new MeasurementCycle('a', 'C');
    expect(cycle.start()).toEqual({ kind: 'send', command: 'aC!' });
    expect(cycle.onReply('a00112')).toEqual({ kind: 'wait', ms: 1000, serviceRequest: false });
  });

  it('checks the CRC of data replies after aMC! and keeps its state when a reply is rejected', () => {
    const cycle = new MeasurementCycle('0', 'MC');
    expect(cycle.start()).toEqual({ kind: 'send', command: '0MC!' });
    expect(cycle.onReply('00002')).toEqual({ kind: 'send', command: '0D0!' });
    expect(cycle.onReply('0+1+2AAA')).toMatchObject({ kind: 'rejected', code: 'SDI12_CRC' });
    expect(cycle.onReply('1+1+2')).toMatchObject({ kind: 'rejected', code: 'SDI12_WRONG_ADDRESS' });
    expect(cycle.onReply(withCrc('0+1+2'))).toEqual({ kind: 'done', values: [1, 2], announced: 2 });
  });

  it('rejects a garbled measurement reply so the command can be sent again', () => {
    const cycle = new MeasurementCycle('0', 'M');
    cycle.start();
    expect(cycle.onReply('0ab')).toMatchObject({ kind: 'rejected', code: 'SDI12_REPLY_INVALID' });
    expect(cycle.onReply('00001')).toEqual({ kind: 'send', command: '0D0!' });
  });

  it('ends with fewer values when a data part comes back empty', () => {
    const cycle = new MeasurementCycle('0', 'M');
    cycle.start();
    cycle.onReply('00003');
    expect(cycle.onReply('0+1')).toEqual({ kind: 'send', command: '0D1!' });
    expect(cycle.onReply('0')).toEqual({ kind: 'done', values: [1], announced: 3 });
  });

  it('stops after aD9! even if values are still missing', () => {
    const cycle = new MeasurementCycle('0', 'C');
    cycle.start();
    cycle.onReply('000020');
    let step = cycle.onReply('0+1');
    for (let part = 1; part <= 9; part += 1) {
      expect(step).toEqual({ kind: 'send', command: `0D${part}!` });
      step = cycle.onReply('0+1');
    }
    expect(step).toEqual({ kind: 'done', values: Array(10).fill(1), announced: 20 });
  });

  it('takes a data reply of 150,000 values without overflowing the stack', () => {
    const cycle = new MeasurementCycle('0', 'M');
    cycle.start();
    cycle.onReply('00009');
    expect(cycle.onReply(`0${'+1'.repeat(150_000)}`)).toMatchObject({ kind: 'done', announced: 9 });
  });
});

function sensor(
  id: string,
  address: string,
  index: number,
  intervalMs = 60_000,
  command: 'M' | 'C' = 'M',
): Sdi12SensorConfig {
  return {
    id,
    quantity: 'temperature',
    unit: 'Cel',
    intervalMs,
    driver: { type: 'sdi12', port: 'sdi', address, command, index },
  };
}

describe('measurementGroups', () => {
  it('gives the sensors reading one measurement a single group, polled as often as the most frequent', () => {
    const groups = measurementGroups(
      [
        sensor('t', '0', 1, 60_000),
        sensor('rh', '0', 2, 30_000),
        sensor('soil', '1', 1),
        sensor('c', '0', 1, 60_000, 'C'),
      ],
      1,
    );
    expect(groups).toEqual([
      {
        address: '0',
        command: 'M',
        sensors: [
          { id: 't', index: 1 },
          { id: 'rh', index: 2 },
        ],
        periodMs: 30_000,
      },
      { address: '1', command: 'M', sensors: [{ id: 'soil', index: 1 }], periodMs: 60_000 },
      { address: '0', command: 'C', sensors: [{ id: 'c', index: 1 }], periodMs: 60_000 },
    ]);
  });

  it('scales the period but never below the floor', () => {
    expect(measurementGroups([sensor('t', '0', 1, 60_000)], 0.01)[0]?.periodMs).toBe(600);
    expect(measurementGroups([sensor('t', '0', 1, 1000)], 0.001)[0]?.periodMs).toBe(MIN_PERIOD_MS);
  });
});

describe('EmulatedSdi12Sensor', () => {
  const values = (channel: string) => ({ '0:1': 21.5, '0:2': -3.25, '0:3': 1013 })[channel] ?? 0;

  it('answers a measurement and its data, split into parts of at most 35 characters', () => {
    const emulated = new EmulatedSdi12Sensor(
      { address: '0', values: 3, measurementSeconds: 1, serviceRequestAfterMs: 50 },
      values,
    );
    expect(emulated.answer('', 0)).toEqual({ lines: ['0'] });
    expect(emulated.answer('M', 0)).toEqual({ lines: ['00013'], later: { afterMs: 50, line: '0' } });
    expect(emulated.answer('D0', 0)).toEqual({ lines: ['0+21.50-3.25+1013.00'] });
    expect(emulated.answer('D1', 0)).toEqual({ lines: ['0'] });
    expect(dataParts(['+1.00', '+2.00', '+3.00'], 35, 2)).toEqual([['+1.00', '+2.00'], ['+3.00']]);
    expect(dataParts(Array(8).fill('+1000.00'), 35)).toEqual([
      Array(4).fill('+1000.00'),
      Array(4).fill('+1000.00'),
    ]);
  });

  it('appends a valid CRC after aMC!, and a wrong one under the bad-crc fault', () => {
    const emulated = new EmulatedSdi12Sensor({ address: '0', values: 1 }, () => 3.14);
    expect(emulated.answer('MC', 0)).toEqual({ lines: ['00001'] });
    expect(emulated.answer('D0', 0)).toEqual({ lines: ['0+3.14OqZ'] });
    emulated.fault = 'bad-crc';
    expect(emulated.answer('D0', 0).lines[0]).not.toBe('0+3.14OqZ');
  });
});
