import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectInflux,
  type InfluxConnection,
  type InfluxV1Config,
  LocalInfluxd,
} from '../../influx/index.js';

export interface TestInflux {
  config: InfluxV1Config;
  connection: InfluxConnection;
  server: LocalInfluxd;
  /** Runs an InfluxQL query against the test database and returns rows as objects. */
  rows(query: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

/** A real influxd in a private temp dir on a free port, with a fresh database. */
export async function startTestInflux(database = 'fieldstation_test'): Promise<TestInflux> {
  const dir = await mkdtemp(join(tmpdir(), 'fs-influxd-'));
  const server = new LocalInfluxd({ dir });
  const url = await server.start();
  const config: InfluxV1Config = { dialect: 'v1', url, database };
  const connection = await connectInflux(config);
  return {
    config,
    connection,
    server,
    async rows(query) {
      const series = await connection.queries.query(query);
      return series.flatMap((s) =>
        s.values.map((row) => ({ ...s.tags, ...Object.fromEntries(s.columns.map((c, i) => [c, row[i]])) })),
      );
    },
    async stop() {
      await connection.writer.close();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
