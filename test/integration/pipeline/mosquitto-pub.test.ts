import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gatewayTopic } from '../../../protocol/index.js';
import { cleanEnv, runCli } from '../../harness/cli-process.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { mosquittoPub } from '../../harness/mosquitto.js';
import { type RunningStation, startStation } from '../../harness/station.js';

// The README's "Publishing by hand": an account made with the real CLI, Debian's mosquitto_pub as
// the gateway, a running station server taking the account up without a restart.

const OWN_TOPIC = gatewayTopic({ station: 'jinfo', gateway: 'manual-1' }, 'readings');
const FOREIGN_TOPIC = gatewayTopic({ station: 'jinfo', gateway: 'cave-gw-1' }, 'readings');

let influx: TestInflux;
let station: RunningStation;
let credentials: { username: string; password: string };

function handWrittenBatch(seq: number, sensor: string, value: number, time: number): string {
  return `{"v":1,"seq":${seq},"readings":[{"sensor":"${sensor}","quantity":"co2","unit":"[ppm]","value":${value},"time":${time}}]}`;
}

function publish(topic: string, message: string) {
  return mosquittoPub({ port: station.mqttPort, ...credentials, topic, message, qos: 1 });
}

beforeAll(async () => {
  influx = await startTestInflux('fs_pipeline_mosquitto');
  station = await startStation({ influx: influx.config });
});

afterAll(async () => {
  await station?.stop();
  await influx?.stop();
});

describe('publishing by hand with mosquitto_pub', () => {
  it('fieldstation account add --json prints credentials the running broker takes up', async () => {
    const result = await runCli(
      [
        ...['account', 'add', '--kind', 'gateway', '--station', 'jinfo', '--gateway', 'manual-1', '--json'],
        ...['--credentials-file', station.credentialsFile],
      ],
      cleanEnv(),
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    credentials = JSON.parse(result.stdout);
    expect(credentials).toEqual({ username: 'jinfo.manual-1', password: expect.stringMatching(/^\S{20,}$/) });
    // The broker watches the file: two service accounts of the station server, plus this one.
    await station.logs.waitFor('credentials reloaded', (record) => record.accounts === 3);
  });

  it('a batch published with -q 1 on its own topic is queryable within 2 s', async () => {
    const time = Date.now() - 1000;
    const result = await publish(OWN_TOPIC, handWrittenBatch(1, 'cave-co2-1', 812.4, time));
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    const query = { station: 'jinfo', sensor: 'cave-co2-1', from: '-5m' };
    await vi.waitFor(
      async () => {
        const { series } = await station.api.series(query);
        expect(series).toEqual([
          {
            station: 'jinfo',
            gateway: 'manual-1',
            sensor: 'cave-co2-1',
            quantity: 'co2',
            unit: '[ppm]',
            intervalMs: null,
            points: [{ time: new Date(time).toISOString(), value: 812.4, qc: 2 }],
          },
        ]);
      },
      { timeout: 2000, interval: 50 },
    );
  });

  it("the same credentials on another gateway's topic: the broker drops the connection, nothing is stored", async () => {
    const result = await publish(FOREIGN_TOPIC, handWrittenBatch(1, 'cave-co2-9', 999, Date.now()));
    // libmosquitto's MOSQ_ERR_CONN_LOST: the broker closed the connection instead of sending a PUBACK.
    expect(result).toEqual({ code: 7, stdout: '', stderr: 'Error: The connection was lost.\n' });
    expect(station.logs.find('publish denied', (record) => record.topic === FOREIGN_TOPIC)).toMatchObject({
      account: 'jinfo.manual-1',
    });
    // A later message on the own topic is stored; by then the refused one would have been too.
    const time = Date.now();
    expect((await publish(OWN_TOPIC, handWrittenBatch(2, 'cave-co2-1', 815, time))).code).toBe(0);
    await vi.waitFor(async () => {
      const { series } = await station.api.series({ station: 'jinfo', sensor: 'cave-co2-1', from: '-5m' });
      expect(series[0]?.points.at(-1)?.value).toBe(815);
    });
    expect(
      (await station.api.series({ station: 'jinfo', sensor: 'cave-co2-9', from: '-5m' })).series,
    ).toEqual([]);
    expect(await influx.rows(`SELECT value FROM reading WHERE gateway = 'cave-gw-1'`)).toEqual([]);
    expect((await station.api.quarantine()).filter((record) => record.topic === FOREIGN_TOPIC)).toEqual([]);
  });

  it('a malformed payload on its own topic is listed by /v1/quarantine with its reason', async () => {
    const message = '{"v":1,"seq":3,"readings":[{"sensor":"Cave CO2","value":1}]}';
    expect((await publish(OWN_TOPIC, message)).code).toBe(0);
    await vi.waitFor(async () => {
      const records = await station.api.quarantine();
      expect(records).toContainEqual({
        time: expect.any(String),
        code: 'PAYLOAD_INVALID',
        station: 'jinfo',
        gateway: 'manual-1',
        topic: OWN_TOPIC,
        reason: expect.stringMatching(/^readings\.0\.sensor: must be a slug/),
        reasonTruncated: false,
        payload: message,
        payloadTruncated: false,
        bytes: Buffer.byteLength(message),
      });
    });
  });

  it("the station wrote all of it without mqtt-packet's table of 65,536 numbers", () => {
    // The station runs in this process and the gateway was mosquitto_pub, so every MQTT packet written
    // here came from the broker, the ingest or the API (each switches the table off; the broker alone
    // is tested in broker/packet-number-table.test.ts, as it runs on a thread of its own in `up`).
    const numbers = createRequire(import.meta.url)('mqtt-packet/numbers.js') as { cache: object };
    expect(Object.keys(numbers.cache)).toHaveLength(0);
  });
});
