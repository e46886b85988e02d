import { describe, expect, it } from 'vitest';
import { sensorMetadataHistoryQuery } from '../../../api/queries/metadata-query.js';
import { type MetadataRecord, readMetadataSeries } from '../../../api/queries/metadata-rows.js';
import { sensorView } from '../../../api/routes/sensors/sensor-view.js';
import { calibrationAt, calibrationHistory } from '../../../api/views/calibration-history.js';
import type { Calibration } from '../../../protocol/index.js';

const A: Calibration = { date: '2025-03-01', coefficients: { scale: 1250, offset: -12.5 }, by: 'Wang Jun' };
const B: Calibration = { date: '2025-11-03', coefficients: { scale: 1248, offset: -9.8 }, by: 'Li Na' };
const B_CORRECTED: Calibration = { ...B, coefficients: { scale: 1248, offset: -9.6 } };

function record(time: number, calibration?: Calibration): MetadataRecord {
  return {
    station: 'jinfo',
    gateway: 'cave-gw-1',
    subject: 'sensor',
    sensor: 'cave-co2-1',
    time,
    metadata: calibration === undefined ? { make: 'Vaisala' } : { make: 'Vaisala', calibration },
  };
}

const ms = (text: string) => Date.parse(text);

describe('calibrationHistory', () => {
  it('lists each calibration once, by the date it was done, with when it was first reported', () => {
    const history = calibrationHistory([record(300, B), record(100, A), record(200, A), record(50)]);
    expect(history).toEqual([
      { calibration: A, recordedAt: 100 },
      { calibration: B, recordedAt: 300 },
    ]);
  });
});

describe('calibrationAt', () => {
  const history = calibrationHistory([record(100, A), record(300, B), record(400, B_CORRECTED)]);

  it('gives the calibration done most recently at or before the instant', () => {
    expect(calibrationAt(history, ms('2025-06-01T00:00:00Z'))?.calibration).toEqual(A);
    expect(calibrationAt(history, ms('2025-03-01T00:00:00Z'))?.calibration).toEqual(A);
    expect(calibrationAt(history, ms('2026-01-01T00:00:00Z'))?.calibration).toEqual(B_CORRECTED);
  });

  it('gives nothing before the first calibration, and of two on one date the one reported last', () => {
    expect(calibrationAt(history, ms('2025-02-28T23:59:59Z'))).toBeUndefined();
    expect(calibrationAt(history, ms('2025-11-03T00:00:00Z'))).toEqual({
      calibration: B_CORRECTED,
      recordedAt: 400,
    });
  });
});

describe('the sensor route, from stored points', () => {
  it('reads InfluxDB rows back into the contract, coefficients from their JSON', () => {
    const records = readMetadataSeries([
      {
        name: 'metadata',
        tags: { station: 'jinfo', gateway: 'cave-gw-1', subject: 'sensor', sensor: 'cave-co2-1' },
        columns: [
          'time',
          'calibration_by',
          'calibration_coefficients',
          'calibration_date',
          'latitude',
          'listed',
          'longitude',
          'make',
        ],
        values: [
          [
            100,
            'Wang Jun',
            '{"scale":1250,"offset":-12.5}',
            '2025-03-01',
            29.0194,
            true,
            107.1952,
            'Vaisala',
          ],
        ],
      },
      {
        name: 'metadata',
        tags: { station: 'jinfo', gateway: 'cave-gw-1', subject: 'sensor', sensor: '' },
        columns: ['time'],
        values: [[1]],
      },
    ]);
    expect(records).toEqual([
      {
        ...record(100, A),
        metadata: { make: 'Vaisala', position: { latitude: 29.0194, longitude: 107.1952 }, calibration: A },
      },
    ]);
  });

  it('answers the newest metadata, the history and, with at, the calibration then in force', () => {
    const view = sensorView(
      'jinfo',
      'cave-co2-1',
      [record(ms('2025-12-01T00:00:00Z'), B), record(ms('2025-04-01T00:00:00Z'), A)],
      ms('2025-07-01T00:00:00Z'),
    );
    expect(view).toEqual({
      station: 'jinfo',
      sensor: 'cave-co2-1',
      gateway: 'cave-gw-1',
      metadata: {
        make: 'Vaisala',
        calibration: B,
        since: '2025-12-01T00:00:00.000Z',
        reportedBy: 'cave-gw-1',
      },
      calibrations: [
        { ...A, recordedAt: '2025-04-01T00:00:00.000Z' },
        { ...B, recordedAt: '2025-12-01T00:00:00.000Z' },
      ],
      at: { time: '2025-07-01T00:00:00.000Z', calibration: { ...A, recordedAt: '2025-04-01T00:00:00.000Z' } },
    });
  });

  it('builds its query with the quoting helpers only', () => {
    expect(sensorMetadataHistoryQuery('jinfo', "x' OR '1'='1")).toBe(
      `SELECT * FROM "metadata" WHERE "station" = 'jinfo' AND "subject" = 'sensor' AND "sensor" = 'x\\' OR \\'1\\'=\\'1' ` +
        'GROUP BY "station", "gateway", "subject", "sensor" ORDER BY time ASC LIMIT 10000',
    );
  });
});
