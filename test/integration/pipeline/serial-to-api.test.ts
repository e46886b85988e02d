import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { type SerialGateway, startSerialGateway } from '../../harness/serial-gateway.js';
import { type RunningStation, startStation } from '../../harness/station.js';

// The whole path: instrument -> serial cable (socat PTY) -> gateway -> MQTT -> broker -> ingest ->
// InfluxDB -> HTTP API, every part real and in the roles `fieldstation up` and `fieldstation gateway` give them.

const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
// Ten minutes ago on a 2-minute boundary, so aggregation windows (aligned to the epoch) start at T0.
const T0 = Math.floor(Date.now() / (2 * MIN)) * 2 * MIN - 10 * MIN;
const STATION = 'jinfo';
const GATEWAY = 'cave-gw-2';

const SENSORS = [
  {
    id: 'cave-co2-1',
    quantity: 'co2',
    unit: '[ppm]',
    intervalMs: MIN,
    calibration: { scale: 2, offset: -12.5 },
    driver: { type: 'serial-line', port: 'climate', channel: 'co2' },
  },
  {
    id: 'cave-temp-1',
    quantity: 'air-temperature',
    unit: 'Cel',
    intervalMs: MIN,
    range: { min: 0, max: 25 },
    driver: { type: 'serial-line', port: 'climate', channel: 'temp' },
  },
];

// What the instrument sends: channel,raw value,sample time (epoch ms or RFC 3339).
const LINES = [
  `co2,406.25,${T0 + 250}`,
  `temp,12.25,${T0 + 250}`,
  `co2,450.25,${T0 + MIN + 250}`,
  `temp,30,${T0 + MIN + 250}`,
  `co2,506.25,${T0 + 2 * MIN + 250}`,
  `temp,13,${iso(T0 + 2 * MIN + 250)}`,
];

const tags = { station: STATION, gateway: GATEWAY };
const co2 = { ...tags, sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]' };
const temp = { ...tags, sensor: 'cave-temp-1', quantity: 'air-temperature', unit: 'Cel' };
// Calibrated co2 = raw * 2 - 12.5, no range: qc 2 (not evaluated). Temperature in [0, 25]: qc 1, else 4.
const STORED = [
  { time: T0 + 250, ...co2, value: 800, qc: 2 },
  { time: T0 + 250, ...temp, value: 12.25, qc: 1 },
  { time: T0 + MIN + 250, ...co2, value: 888, qc: 2 },
  { time: T0 + MIN + 250, ...temp, value: 30, qc: 4 },
  { time: T0 + 2 * MIN + 250, ...co2, value: 1000, qc: 2 },
  { time: T0 + 2 * MIN + 250, ...temp, value: 13, qc: 1 },
];

let influx: TestInflux;
let station: RunningStation;
let serial: SerialGateway;

async function storedReadings() {
  const rows = await influx.rows(`SELECT * FROM reading WHERE gateway = '${GATEWAY}'`);
  return rows.sort(
    (a, b) => Number(a.time) - Number(b.time) || String(a.sensor).localeCompare(String(b.sensor)),
  );
}

beforeAll(async () => {
  influx = await startTestInflux('fs_pipeline_serial');
  station = await startStation({ influx: influx.config, gateways: [{ station: STATION, gateway: GATEWAY }] });
  const credentials = station.accounts[`${STATION}.${GATEWAY}`];
  if (credentials === undefined) throw new Error('gateway account not provisioned');
  serial = await startSerialGateway({
    document: {
      ...tags,
      port: { id: 'climate', protocol: { type: 'csv', columns: ['channel', 'value', 'time'] } },
      sensors: SENSORS,
      batch: { maxReadings: 100, maxDelayMs: 100 },
      healthIntervalMs: 1000,
    },
    mqttUrl: station.mqttUrl,
    credentials,
    logger: pino({ level: process.env.FS_TEST_LOG ?? 'silent' }),
  });
  await serial.send(...LINES);
  await vi.waitFor(async () => expect(await storedReadings()).toHaveLength(STORED.length), {
    timeout: 10_000,
  });
});

afterAll(async () => {
  await serial?.stop();
  await station?.stop();
  await influx?.stop();
});

describe('serial line -> gateway -> broker -> ingest -> InfluxDB -> API', () => {
  it('stores exactly the readings sent, calibrated and QC-flagged, with millisecond timestamps', async () => {
    expect(await storedReadings()).toEqual(STORED);
    const [total] = await influx.rows('SELECT count(value) FROM reading');
    expect(total?.count).toBe(STORED.length);
    const fields = await influx.rows('SHOW FIELD KEYS FROM reading');
    expect(fields.map(({ fieldKey, fieldType }) => [fieldKey, fieldType])).toEqual([
      ['qc', 'integer'],
      ['value', 'float'],
    ]);
  });

  it('serves a raw series as JSON with the sampling interval the gateway announced', async () => {
    const range = { from: iso(T0 - MIN), to: iso(T0 + 3 * MIN) };
    const document = await station.api.series({ station: STATION, sensor: 'cave-co2-1', ...range });
    expect(document).toEqual({
      station: STATION,
      ...range,
      every: null,
      fn: null,
      series: [
        {
          ...co2,
          intervalMs: MIN,
          points: [
            { time: iso(T0 + 250), value: 800, qc: 2 },
            { time: iso(T0 + MIN + 250), value: 888, qc: 2 },
            { time: iso(T0 + 2 * MIN + 250), value: 1000, qc: 2 },
          ],
          gaps: [],
        },
      ],
      // Every point fit in one page.
      next: null,
    });
  });

  it('serves the same series as CSV for format=csv and for Accept: text/csv', async () => {
    const query = { station: STATION, sensor: 'cave-temp-1', from: iso(T0), to: iso(T0 + 3 * MIN) };
    const byFormat = await station.api.text('/v1/series', { ...query, format: 'csv' });
    const byAccept = await station.api.text('/v1/series', query, { accept: 'text/csv' });
    const expected = [
      'time,station,gateway,sensor,quantity,unit,value,qc',
      `${iso(T0 + 250)},jinfo,cave-gw-2,cave-temp-1,air-temperature,Cel,12.25,1`,
      `${iso(T0 + MIN + 250)},jinfo,cave-gw-2,cave-temp-1,air-temperature,Cel,30,4`,
      `${iso(T0 + 2 * MIN + 250)},jinfo,cave-gw-2,cave-temp-1,air-temperature,Cel,13,1`,
      '',
    ].join('\r\n');
    for (const response of [byFormat, byAccept]) {
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^text\/csv/);
      expect(response.body).toBe(expected);
    }
  });

  it('aggregates into windows with `every`, showing an empty window as null and the worst qc per window', async () => {
    const co2Max = await station.api.series({
      station: STATION,
      sensor: 'cave-co2-1',
      from: iso(T0),
      to: iso(T0 + 4 * MIN),
      every: '1m',
      fn: 'max',
    });
    expect(co2Max).toMatchObject({ every: '1m', fn: 'max' });
    expect(co2Max.series).toEqual([
      {
        ...co2,
        intervalMs: MIN,
        points: [
          { time: iso(T0), value: 800, qc: 2 },
          { time: iso(T0 + MIN), value: 888, qc: 2 },
          { time: iso(T0 + 2 * MIN), value: 1000, qc: 2 },
          { time: iso(T0 + 3 * MIN), value: null, qc: null },
        ],
      },
    ]);

    const tempMean = await station.api.series({
      station: STATION,
      quantity: 'air-temperature',
      from: iso(T0),
      to: iso(T0 + 4 * MIN),
      every: '2m',
    });
    expect(tempMean).toMatchObject({ every: '2m', fn: 'mean' });
    expect(tempMean.series.map((series) => series.points)).toEqual([
      [
        { time: iso(T0), value: (12.25 + 30) / 2, qc: 4 },
        { time: iso(T0 + 2 * MIN), value: 13, qc: 1 },
      ],
    ]);
  });

  it('shows the gateway online with its sensors, their last readings and its health', async () => {
    await vi.waitFor(
      async () => {
        const gateway = await station.api.gateway(STATION, GATEWAY);
        expect(gateway?.health?.sensors).toEqual([
          { sensor: 'cave-co2-1', samples: 3, errors: 0 },
          { sensor: 'cave-temp-1', samples: 3, errors: 0 },
        ]);
      },
      { timeout: 5000 },
    );
    const gateway = await station.api.gateway(STATION, GATEWAY);
    expect(gateway).toMatchObject({ state: 'online', since: expect.any(String) });
    // Every sensor is listed in the gateway's meta message, with no metadata in this config.
    expect(gateway?.sensors.map((s) => s.metadata)).toEqual([
      { reportedBy: GATEWAY, since: expect.any(String) },
      { reportedBy: GATEWAY, since: expect.any(String) },
    ]);
    expect(gateway?.sensors.map(({ metadata: _metadata, ...sensor }) => sensor)).toEqual([
      {
        sensor: 'cave-co2-1',
        quantity: 'co2',
        unit: '[ppm]',
        intervalMs: MIN,
        last: { time: iso(T0 + 2 * MIN + 250), value: 1000, qc: 2 },
      },
      {
        sensor: 'cave-temp-1',
        quantity: 'air-temperature',
        unit: 'Cel',
        intervalMs: MIN,
        last: { time: iso(T0 + 2 * MIN + 250), value: 13, qc: 1 },
      },
    ]);
    // diskBytes is left out: it is the size of the segment files, acknowledged messages included.
    expect(gateway?.health?.outbox).toMatchObject({
      pendingMessages: 0,
      droppedMessages: 0,
      droppedReadings: 0,
    });
  });

  it('shows the gateway offline, still with its sensors, once it has stopped', async () => {
    await serial.stopGateway();
    await vi.waitFor(async () =>
      expect((await station.api.gateway(STATION, GATEWAY))?.state).toBe('offline'),
    );
    const gateway = await station.api.gateway(STATION, GATEWAY);
    expect(gateway?.sensors.map(({ sensor, last }) => [sensor, last?.value])).toEqual([
      ['cave-co2-1', 1000],
      ['cave-temp-1', 13],
    ]);
  });
});
