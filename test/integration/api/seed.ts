import { encodePoint, type InfluxConnection } from '../../../influx/index.js';

export const MIN = 60_000;
/** Whole hour two hours ago, so every seeded point lies in the past. */
export const T0 = Math.floor((Date.now() - 2 * 3_600_000) / 3_600_000) * 3_600_000;

export const iso = (ms: number) => new Date(ms).toISOString();

interface SeedReading {
  station: string;
  gateway: string;
  sensor: string;
  quantity: string;
  unit: string;
  time: number;
  value: number;
  qc: number;
}

function readingLine(r: SeedReading): string {
  const { station, gateway, sensor, quantity, unit } = r;
  return encodePoint({
    measurement: 'reading',
    tags: { station, gateway, sensor, quantity, unit },
    fields: { value: { float: r.value }, qc: { int: r.qc } },
    timestamp: r.time,
  });
}

const CO2 = { station: 'jinfo', gateway: 'pi-1', sensor: 'co2-1', quantity: 'co2', unit: '[ppm]' };

/**
 * jinfo/pi-1/co2-1 every minute for 10 min, silent 30 min, 10 min again (20 points, one gap);
 * jinfo/pi-2/co2-2 (same quantity); jinfo/pi-1/t-1; xuefeng/pi-1/ice-1.
 */
export function seedReadings(): SeedReading[] {
  const co2Times = [...Array(10).keys()]
    .map((i) => T0 + i * MIN)
    .concat([...Array(10).keys()].map((i) => T0 + (40 + i) * MIN));
  return [
    ...co2Times.map((time, i) => ({ ...CO2, time, value: 800 + i, qc: i === 19 ? 3 : 1 })),
    { ...CO2, gateway: 'pi-2', sensor: 'co2-2', time: T0 + 5 * MIN, value: 650, qc: 1 },
    { ...CO2, sensor: 't-1', quantity: 'temperature', unit: 'Cel', time: T0 + 3 * MIN, value: 11.5, qc: 2 },
    {
      station: 'xuefeng',
      gateway: 'pi-1',
      sensor: 'ice-1',
      quantity: 'ice-thickness',
      unit: 'mm',
      time: T0,
      value: 3.2,
      qc: 1,
    },
  ];
}

export const QUARANTINE = [
  { code: 'PAYLOAD_NOT_JSON', minutes: 1, reason: 'payload is not JSON', payload: '{oops' },
  { code: 'PAYLOAD_INVALID', minutes: 2, reason: 'readings.0.value: expected number', payload: '{"v":1}' },
  {
    code: 'VERSION_UNSUPPORTED',
    minutes: 3,
    reason: 'message version 2 is not supported',
    payload: '{"v":2}',
  },
];

function quarantineLine(record: (typeof QUARANTINE)[number]): string {
  return encodePoint({
    measurement: 'quarantine',
    tags: { code: record.code, station: 'jinfo' },
    fields: {
      topic: { str: 'fs/v1/jinfo/pi-1/readings' },
      gateway: { str: 'pi-1' },
      reason: { str: record.reason },
      payload: { str: record.payload },
      bytes: { int: Buffer.byteLength(record.payload) },
    },
    timestamp: T0 + record.minutes * MIN,
  });
}

export async function seed(connection: InfluxConnection): Promise<void> {
  await connection.writer.write(
    [...seedReadings().map(readingLine), ...QUARANTINE.map(quarantineLine)],
    'ms',
  );
}
