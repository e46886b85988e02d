import { describe, expect, it } from 'vitest';
import { renderCheckTable } from '../../../cli/commands/gateway-check.js';
import type { CheckReport } from '../../../firmware-bridge/index.js';

describe('renderCheckTable', () => {
  it('prints one aligned line per sensor with value, unit, QC name, progress and the verdict', () => {
    const report: CheckReport = {
      station: 'xuefeng',
      gateway: 'line-gw-1',
      clock: { state: 'synced', source: 'gps', offsetMs: 120 },
      passed: false,
      durationMs: 4200,
      sensors: [
        {
          sensor: 'wind-speed-1',
          driver: 'nmea0183',
          quantity: 'wind-speed',
          unit: 'm/s',
          samples: 3,
          value: 7.123456789,
          qc: 1,
          time: 0,
          errors: 0,
          status: 'ok',
        },
        {
          sensor: 'load-1',
          driver: 'modbus-rtu',
          quantity: 'force',
          unit: 'kN',
          samples: 0,
          errors: 2,
          lastError: 'MODBUS_TIMEOUT: unit 3',
          status: 'fail',
          problem: 'MODBUS_TIMEOUT: unit 3',
        },
      ],
    };
    expect(renderCheckTable(report, 3)).toBe(
      [
        'gateway xuefeng/line-gw-1: 2 sensors checked in 4.2 s; clock synced, gps, offset 120 ms',
        '',
        'SENSOR        DRIVER      VALUE   UNIT  QC      READ  STATUS',
        'wind-speed-1  nmea0183    7.1235  m/s   1 pass  3/3   OK',
        'load-1        modbus-rtu  -       kN    -       0/3   FAIL: MODBUS_TIMEOUT: unit 3',
        '',
        '1 sensor(s) FAILED.',
        '',
      ].join('\n'),
    );
  });
});
