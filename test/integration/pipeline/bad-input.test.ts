import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PAYLOAD_MAX_CHARS } from '../../../api/routes/quarantine/quarantine-records.js';
import { BrokerConfigSchema, type IssuedCredentials } from '../../../broker/index.js';
import { QUARANTINE_PAYLOAD_LIMIT_BYTES } from '../../../ingest/index.js';
import { gatewayTopic, MAX_PAYLOAD_BYTES } from '../../../protocol/index.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { startSerialGateway } from '../../harness/serial-gateway.js';
import { type RunningStationParts, startStationParts } from '../../harness/station.js';

// Bad input of every kind the README promises to handle: a clear error or a quarantine record,
// never a crash and never a silent drop. The station is wired from its parts to read the broker's counters.

const STATION = 'jinfo';
const GATEWAY = 'bad-1';
const OWN_TOPIC = gatewayTopic({ station: STATION, gateway: GATEWAY }, 'readings');
const FOREIGN_TOPIC = gatewayTopic({ station: STATION, gateway: 'other-1' }, 'readings');
const BROKER_MAX_PACKET_BYTES = BrokerConfigSchema.parse({ credentialsFile: 'unused' }).maxPacketBytes;
const NOW = Date.now();

let influx: TestInflux;
let station: RunningStationParts;
let account: IssuedCredentials;
let clients = 0;

beforeAll(async () => {
  influx = await startTestInflux('fs_pipeline_bad_input');
  station = await startStationParts({
    influx: influx.config,
    gateways: [{ station: STATION, gateway: GATEWAY }],
  });
  const issued = station.accounts[`${STATION}.${GATEWAY}`];
  if (issued === undefined) throw new Error('gateway account not provisioned');
  account = issued;
});

afterAll(async () => {
  await station?.stop();
  await influx?.stop();
});

function gatewayClient(): Promise<MqttClient> {
  clients += 1;
  return station.connect(account, `bad-input-${clients}`);
}

function batch(seq: number, sensor: string, extra: Record<string, unknown> = {}): string {
  const reading = { sensor, quantity: 'co2', unit: '[ppm]', value: 812.4, time: NOW };
  return JSON.stringify({ v: 1, seq, readings: [reading], ...extra });
}

/** A JSON batch of exactly `bytes` bytes, padded with an unknown field. */
function paddedBatch(bytes: number): string {
  const bare = batch(1, 'cave-co2-1', { pad: '' });
  return batch(1, 'cave-co2-1', { pad: 'x'.repeat(bytes - Buffer.byteLength(bare)) });
}

/**
 * Waits until the record of `code` reads back with every field in `expected`. A record is one point
 * in one write, but InfluxDB 1.x stores each field of it apart and does not make them visible at
 * once: a query racing the write can list the record with some of its fields still null.
 */
async function quarantined(code: string, expected: Record<string, unknown>) {
  let found: Awaited<ReturnType<typeof station.api.quarantine>>[number] | undefined;
  await vi.waitFor(
    async () => {
      found = (await station.api.quarantine()).find((record) => record.code === code);
      expect(found).toMatchObject(expected);
    },
    { timeout: 5000 },
  );
  return found;
}

/**
 * Publishes a valid batch of a fresh sensor on the gateway's own topic and waits until InfluxDB has
 * it: the ingest has handled everything that reached it before, so an absence checked afterwards is real.
 */
let barriers = 0;
async function barrier(): Promise<void> {
  barriers += 1;
  const sensor = `barrier-${barriers}`;
  const client = await gatewayClient();
  await client.publishAsync(OWN_TOPIC, batch(1000 + barriers, sensor), { qos: 1 });
  await vi.waitFor(
    async () =>
      expect(await influx.rows(`SELECT value FROM reading WHERE sensor = '${sensor}'`)).toHaveLength(1),
    { timeout: 5000 },
  );
}

/** Publishes QoS 1 and waits for the connection to close; returns whether a PUBACK came first. */
async function publishUntilClosed(client: MqttClient, topic: string, payload: string): Promise<boolean> {
  let acknowledged = false;
  // Not events.once: it rejects on the ECONNRESET 'error' that may come before the 'close'.
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  client.publish(topic, payload, { qos: 1 }, (error) => {
    if (!error) acknowledged = true;
  });
  await closed;
  return acknowledged;
}

describe('bad MQTT input is quarantined with its code and reason', () => {
  it.each([
    ['PAYLOAD_NOT_JSON', '{"v":1,"seq":', /^payload is not JSON: /],
    [
      'PAYLOAD_INVALID',
      batch(2, 'cave-co2-1').replace('812.4', '"high"'),
      /^readings\.0\.value: .*expected number/,
    ],
    [
      'VERSION_UNSUPPORTED',
      JSON.stringify({ v: 2, seq: 3, readings: [] }),
      /^message version 2 is not supported; this receiver speaks v1$/,
    ],
  ])('%s', async (code, payload, reason) => {
    const client = await gatewayClient();
    await client.publishAsync(OWN_TOPIC, payload, { qos: 1 });
    await quarantined(code, {
      station: STATION,
      gateway: GATEWAY,
      topic: OWN_TOPIC,
      payload,
      bytes: Buffer.byteLength(payload),
      reason: expect.stringMatching(reason),
    });
    // Counted once the write is confirmed, a moment after the record is visible.
    await vi.waitFor(() => expect(station.ingest.stats().quarantined).toMatchObject({ [code]: 1 }));
  });

  it('PAYLOAD_TOO_LARGE: over the contract limit but under the broker limit, acknowledged and quarantined', async () => {
    const size = MAX_PAYLOAD_BYTES + 1024;
    expect(size).toBeLessThan(BROKER_MAX_PACKET_BYTES - 1024);
    const client = await gatewayClient();
    await client.publishAsync(OWN_TOPIC, paddedBatch(size), { qos: 1 });
    const record = await quarantined('PAYLOAD_TOO_LARGE', {
      station: STATION,
      gateway: GATEWAY,
      topic: OWN_TOPIC,
      bytes: size,
      reason: `payload is ${size} bytes; the limit is ${MAX_PAYLOAD_BYTES}`,
      payloadTruncated: true,
    });
    // The record keeps the first 8 KiB for diagnosis, not the whole megabyte; the API lists the first 4 KiB of it.
    const [stored] = await influx.rows(
      `SELECT "payload" FROM "quarantine" WHERE "code" = 'PAYLOAD_TOO_LARGE'`,
    );
    expect(stored?.payload).toHaveLength(QUARANTINE_PAYLOAD_LIMIT_BYTES);
    expect(record?.payload).toHaveLength(PAYLOAD_MAX_CHARS);
    expect(record?.payload?.startsWith('{"v":1,"seq":1,')).toBe(true);
    await vi.waitFor(() =>
      expect(station.ingest.stats().quarantined).toMatchObject({ PAYLOAD_TOO_LARGE: 1 }),
    );
  });
});

describe('input the broker refuses', () => {
  it('closes a connection that sends a packet over the broker limit, and counts it', async () => {
    const before = station.broker.stats();
    const quarantinedBefore = station.ingest.stats().quarantined;
    const size = BROKER_MAX_PACKET_BYTES + 1;
    const client = await gatewayClient();
    expect(await publishUntilClosed(client, OWN_TOPIC, paddedBatch(size))).toBe(false);
    expect(station.broker.stats().oversized).toBe(before.oversized + 1);
    await barrier();
    const records = await station.api.quarantine();
    expect(records.filter((record) => record.bytes === size)).toEqual([]);
    expect(station.ingest.stats().quarantined).toEqual(quarantinedBefore);
  });

  it("refuses a gateway publishing on another gateway's topic: no PUBACK, nothing stored, counted", async () => {
    const before = station.broker.stats();
    const client = await gatewayClient();
    expect(await publishUntilClosed(client, FOREIGN_TOPIC, batch(1, 'cave-co2-1'))).toBe(false);
    expect(station.broker.stats().publishDenied).toBe(before.publishDenied + 1);
    expect(station.logs.find('publish denied', (r) => r.topic === FOREIGN_TOPIC)).toMatchObject({
      account: `${STATION}.${GATEWAY}`,
    });
    await barrier();
    expect(await influx.rows(`SELECT value FROM reading WHERE gateway = 'other-1'`)).toEqual([]);
    const records = await station.api.quarantine();
    expect(records.filter((record) => record.topic === FOREIGN_TOPIC)).toEqual([]);
  });

  it('refuses a wrong password with CONNACK return code 4, and counts it', async () => {
    const before = station.broker.stats();
    await expect(station.connect({ ...account, password: 'not-the-secret' })).rejects.toMatchObject({
      code: 4,
      message: expect.stringMatching(/bad username or password/i),
    });
    expect(station.broker.stats().authFailures).toBe(before.authFailures + 1);
  });
});

describe('malformed serial lines', () => {
  it("are counted in the gateway's health per sensor while the good lines reach InfluxDB", async () => {
    const address = { station: STATION, gateway: 'serial-1' };
    const credentials = await station.addGateway(address);
    const serial = await startSerialGateway({
      document: {
        ...address,
        port: { id: 'climate', protocol: { type: 'csv', columns: ['channel', 'value', 'time'] } },
        sensors: [
          {
            id: 'cave-co2-1',
            quantity: 'co2',
            unit: '[ppm]',
            intervalMs: 60_000,
            driver: { type: 'serial-line', port: 'climate', channel: 'co2' },
          },
          {
            id: 'cave-temp-1',
            quantity: 'air-temperature',
            unit: 'Cel',
            intervalMs: 60_000,
            driver: { type: 'serial-line', port: 'climate', channel: 'temp' },
          },
        ],
        batch: { maxDelayMs: 50 },
        healthIntervalMs: 1000,
      },
      mqttUrl: station.mqttUrl,
      credentials,
      logger: pino({ level: process.env.FS_TEST_LOG ?? 'silent' }),
    });
    try {
      const t0 = Math.floor(NOW / 1000) * 1000 - 60_000;
      await serial.send(
        `co2,800,${t0}`,
        `co2,abc,${t0 + 1000}`, // not a number: co2
        'this is not a reading', // wrong column count: every sensor of the port
        `temp,12.5,${t0 + 1000}`,
        `ch4,1.8,${t0 + 1000}`, // unknown channel: every sensor of the port
        'temp,13,yesterday', // bad time: temp
        `co2,810,${t0 + 2000}`,
        `temp,13.5,${t0 + 2000}`,
      );
      const query = `SELECT sensor, value FROM reading WHERE gateway = 'serial-1'`;
      await vi.waitFor(async () => expect(await influx.rows(query)).toHaveLength(4), { timeout: 5000 });
      expect((await influx.rows(query)).map((row) => [row.time, row.sensor, row.value])).toEqual([
        [t0, 'cave-co2-1', 800],
        [t0 + 1000, 'cave-temp-1', 12.5],
        [t0 + 2000, 'cave-co2-1', 810],
        [t0 + 2000, 'cave-temp-1', 13.5],
      ]);
      await vi.waitFor(
        async () => {
          const health = (await station.api.gateway(STATION, 'serial-1'))?.health;
          expect(health?.sensors).toEqual([
            {
              sensor: 'cave-co2-1',
              samples: 2,
              errors: 3,
              lastError: 'LINE_UNKNOWN_CHANNEL: unknown channel "ch4"',
            },
            {
              sensor: 'cave-temp-1',
              samples: 2,
              errors: 3,
              lastError: expect.stringMatching(/^LINE_TIME_INVALID: time "yesterday" is neither/),
            },
          ]);
        },
        { timeout: 5000 },
      );
    } finally {
      await serial.stop();
    }
  });
});
