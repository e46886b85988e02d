import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IngestConfigSchema, IngestService } from '../../../ingest/index.js';
import { gatewayTopic } from '../../../protocol/index.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { tempDir } from '../../harness/temp-dir.js';
import { connectClient, startTestBroker, type TestBroker } from './test-broker.js';

// Aedes has no shared subscriptions: two ingests on one broker each get every message. With
// partitions 0/2 and 1/2 each stores the gateways that hash to it and acknowledges the others
// untouched, each with its own session and spool; together they store everything once.

// Two days ago, on the hour: inside the window of sample times the ingest accepts, whenever the test runs.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 86_400_000;
const GATEWAYS = Array.from({ length: 10 }, (_, i) => `gw-${i}`);
const MESSAGES = 20;
const logger = pino({ level: 'silent' });

let influx: TestInflux;
let broker: TestBroker;
const ingests: IngestService[] = [];
const gateways: MqttClient[] = [];

beforeAll(async () => {
  [influx, broker] = await Promise.all([startTestInflux('fs_partitions'), startTestBroker()]);
  for (const index of [0, 1]) {
    const config = IngestConfigSchema.parse({
      dataDir: tempDir(`fs-ingest-part-${index}`),
      mqtt: { url: broker.url, clientId: `fs-ingest-${index}-of-2` },
      influx: influx.config,
      partition: `${index}/2`,
    });
    const ingest = new IngestService({ config, logger, influx: influx.connection });
    ingests.push(ingest);
    await ingest.start();
  }
  for (const gateway of GATEWAYS) gateways.push(await connectClient(broker.url, gateway));
});

afterAll(async () => {
  for (const client of gateways) await client.endAsync();
  for (const ingest of ingests) await ingest.stop();
  await broker?.close();
  await influx?.stop();
});

describe('two ingests over one broker, partitioned', () => {
  it('store every reading once between them, each gateway by exactly one of them', async () => {
    for (let seq = 1; seq <= MESSAGES; seq++) {
      await Promise.all(
        gateways.map((client, i) =>
          client.publishAsync(
            gatewayTopic({ station: 'jinfo', gateway: GATEWAYS[i] as string }, 'readings'),
            JSON.stringify({
              v: 1,
              seq,
              readings: [
                { sensor: 'co2-1', quantity: 'co2', unit: '[ppm]', value: seq, time: T0 + seq * 1000 },
              ],
            }),
            { qos: 1 },
          ),
        ),
      );
    }
    const total = GATEWAYS.length * MESSAGES;
    await vi.waitFor(
      async () => {
        const [row] = await influx.rows(`SELECT count(value) FROM reading WHERE station = 'jinfo'`);
        expect(row?.count).toBe(total);
      },
      { timeout: 15_000 },
    );
    await vi.waitFor(() => {
      const [first, second] = ingests.map((ingest) => ingest.stats());
      expect((first?.readingsAccepted ?? 0) + (second?.readingsAccepted ?? 0)).toBe(total);
      expect((first?.notOurs ?? 0) + (second?.notOurs ?? 0)).toBe(total);
    });
    const owners = ingests.map((ingest) => new Set(ingest.stats().sequences.map((s) => s.gateway)));
    expect([...(owners[0] ?? [])].filter((gateway) => owners[1]?.has(gateway))).toEqual([]);
    expect((owners[0]?.size ?? 0) + (owners[1]?.size ?? 0)).toBe(GATEWAYS.length);
    expect(owners.every((owned) => owned.size > 0)).toBe(true);
    for (const ingest of ingests) {
      for (const sequence of ingest.stats().sequences) {
        expect(sequence).toMatchObject({ messages: MESSAGES, gaps: 0, duplicates: 0 });
      }
    }
  });
});
