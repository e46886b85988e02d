import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePoint, InfluxQueryClient } from '../../../influx/index.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';

// Well above the pauses a busy machine puts between influxd's chunks (or before a stand-in's headers),
// so only the silence under test reaches it.
const TIMEOUT_MS = 1500;
const POINTS = 20_000;
// Small chunks make many lines, more than a reader buffers ahead, so the result is still arriving after the pause.
const CHUNK = 10;
const T0 = Date.UTC(2026, 0, 1);
const QUERY = 'SELECT "value" FROM "reading" GROUP BY *';

let influx: TestInflux;

beforeAll(async () => {
  influx = await startTestInflux('fs_query_stream');
  const lines = Array.from({ length: POINTS }, (_, i) =>
    encodePoint({
      measurement: 'reading',
      tags: { station: 'jinfo', sensor: 'p-1' },
      fields: { value: { float: i } },
      timestamp: T0 + i,
    }),
  );
  await influx.connection.writer.write(lines, 'ms');
});

afterAll(async () => {
  await influx?.stop();
});

interface StandIn {
  url: string;
  /** Responses in progress: each has sent the first chunk of a result and waits for the test. */
  responses: ServerResponse[];
  close(): Promise<void>;
}

/** A stand-in InfluxDB that sends the first chunk of a result and then nothing, until the test acts. */
async function startStandIn(): Promise<StandIn> {
  const responses: ServerResponse[] = [];
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const series = { name: 'reading', columns: ['time', 'value'], values: [[T0, 1]] };
    response.write(`${JSON.stringify({ results: [{ statement_id: 0, series: [series] }] })}\n`);
    responses.push(response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    responses,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

describe('InfluxQueryClient.stream', () => {
  it('is not cut by its timeout while its consumer takes longer than that', async () => {
    const client = new InfluxQueryClient(
      { url: influx.config.url, timeoutMs: TIMEOUT_MS },
      influx.config.database,
    );
    let points = 0;
    let first = true;
    for await (const series of client.stream(QUERY, CHUNK)) {
      points += series.values.length;
      // The consumer's slowness is what is under test: a slow HTTP client downstream does the same.
      if (first) await delay(2 * TIMEOUT_MS);
      first = false;
    }
    expect(points).toBe(POINTS);
  });

  it('fails as INFLUX_UNREACHABLE once the server has been silent for its timeout mid-result', async () => {
    const standIn = await startStandIn();
    try {
      const client = new InfluxQueryClient({ url: standIn.url, timeoutMs: TIMEOUT_MS }, 'db');
      const chunks = client.stream(QUERY)[Symbol.asyncIterator]();
      expect((await chunks.next()).done).toBe(false);
      const started = performance.now();
      await expect(chunks.next()).rejects.toMatchObject({
        code: 'INFLUX_UNREACHABLE',
        retryable: true,
        message: expect.stringMatching(new RegExp(`sent nothing for ${TIMEOUT_MS} ms`)),
      });
      expect(performance.now() - started).toBeLessThan(10 * TIMEOUT_MS);
    } finally {
      await standIn.close();
    }
  });

  it('fails as INFLUX_UNREACHABLE when the connection drops mid-result', async () => {
    const standIn = await startStandIn();
    try {
      const client = new InfluxQueryClient({ url: standIn.url }, 'db');
      const chunks = client.stream(QUERY)[Symbol.asyncIterator]();
      expect((await chunks.next()).done).toBe(false);
      standIn.responses[0]?.socket?.destroy();
      await expect(chunks.next()).rejects.toMatchObject({
        code: 'INFLUX_UNREACHABLE',
        retryable: true,
        message: expect.stringMatching(/broke off in the middle of a result/),
      });
    } finally {
      await standIn.close();
    }
  });
});
