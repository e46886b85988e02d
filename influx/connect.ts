import type { InfluxConfig } from './config.js';
import { InfluxError } from './errors.js';
import { basicAuthorization, type HttpTarget } from './http.js';
import { quoteIdentifier } from './influxql.js';
import { InfluxQueryClient, type PingResult } from './query-client.js';
import { type LineWriter, V1LineWriter, V2LineWriter } from './writer.js';

export interface InfluxConnection {
  writer: LineWriter;
  queries: InfluxQueryClient;
  server: PingResult;
}

function targetFor(config: InfluxConfig): HttpTarget {
  const authorization =
    config.dialect === 'v1' ? basicAuthorization(config.username, config.password) : `Token ${config.token}`;
  return authorization === undefined ? { url: config.url } : { url: config.url, authorization };
}

/** Fails at start-up, with the setting to change, when the configured dialect is not what the server speaks. */
export function checkDialect(config: InfluxConfig, server: PingResult): void {
  if (config.dialect === 'v1' && server.major >= 2) {
    throw new InfluxError(
      'INFLUX_DIALECT_MISMATCH',
      `InfluxDB at ${config.url} reports version ${server.version}, but the dialect is set to v1; ` +
        'set FS_INFLUX_DIALECT=v2 with FS_INFLUX_TOKEN, FS_INFLUX_ORG and FS_INFLUX_BUCKET',
      false,
    );
  }
  if (config.dialect === 'v2' && server.major === 1) {
    throw new InfluxError(
      'INFLUX_DIALECT_MISMATCH',
      `InfluxDB at ${config.url} reports version ${server.version}, but the dialect is set to v2; set FS_INFLUX_DIALECT=v1`,
      false,
    );
  }
}

/** Creating a database needs admin rights; a user without them can still run against an existing one. */
async function ensureDatabase(queries: InfluxQueryClient, database: string): Promise<void> {
  const series = await queries.query('SHOW DATABASES');
  const existing = series.flatMap((s) => s.values.map((row) => row[0]));
  if (!existing.includes(database)) await queries.execute(`CREATE DATABASE ${quoteIdentifier(database)}`);
}

/**
 * Pings the server, checks the dialect and, on 1.x, creates the database if it is missing
 * (2.x/3.x buckets are created by their administrators, with the token's rights).
 */
export async function connectInflux(config: InfluxConfig): Promise<InfluxConnection> {
  const target = targetFor(config);
  const queries = new InfluxQueryClient(target, config.database);
  const server = await queries.ping();
  checkDialect(config, server);
  if (config.dialect === 'v1') {
    await ensureDatabase(queries, config.database);
    return { writer: new V1LineWriter(target, config.database), queries, server };
  }
  return { writer: new V2LineWriter(config), queries, server };
}
