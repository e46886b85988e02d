import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { BrokerServer, type IssuedCredentials, provisionAccount } from '../../../broker/index.js';
import type { GatewayAddress } from '../../../protocol/index.js';
import { CliProcess, cleanEnv } from '../../harness/cli-process.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';

/**
 * The sustained load of the crash tests: about as fast as one ingest stores (~600 batches/s on the
 * 2-core development machine), so the broker has messages delivered to the ingest and not yet
 * acknowledged when the crash comes.
 */
export const CRASH_LOAD = { batches: 1500, readingsPerBatch: 50, intervalMs: 1 };
export const CRASH_LOAD_READINGS = CRASH_LOAD.batches * CRASH_LOAD.readingsPerBatch;
/** The crash comes once this much is stored: early, so the gateway is surely still publishing. */
export const STORED_BEFORE_CRASH = 50 * CRASH_LOAD.readingsPerBatch;

export const GATEWAY: GatewayAddress = { station: 'crash', gateway: 'load-gw-1' };
const READINGS = `FROM reading WHERE station = '${GATEWAY.station}' AND gateway = '${GATEWAY.gateway}'`;

/**
 * The parts a crash test kills and restarts: a real influxd, the real broker in-process (with a
 * credentials file holding a gateway account and the ingest's service account), and any number
 * of `fieldstation ingest` child processes. The broker stays up throughout: it holds the ingest's
 * persistent session while the ingest is away.
 */
export class CrashStation {
  readonly ingests: CliProcess[] = [];

  private constructor(
    private readonly dir: string,
    readonly influx: TestInflux,
    readonly broker: BrokerServer,
    readonly mqttUrl: string,
    readonly gatewayAccount: IssuedCredentials,
    private readonly ingestAccount: IssuedCredentials,
  ) {}

  static async start(): Promise<CrashStation> {
    const dir = await mkdtemp(join(tmpdir(), 'fs-crash-'));
    const credentialsFile = join(dir, 'broker', 'accounts.json');
    let influx: TestInflux | undefined;
    let broker: BrokerServer | undefined;
    try {
      const gatewayAccount = await provisionAccount(credentialsFile, { kind: 'gateway', ...GATEWAY });
      const ingestAccount = await provisionAccount(credentialsFile, { kind: 'service', name: 'ingest' });
      influx = await startTestInflux();
      broker = new BrokerServer({
        config: { host: '127.0.0.1', port: 0, credentialsFile },
        logger: pino({ level: 'silent' }),
      });
      const { port } = await broker.start();
      const url = `mqtt://127.0.0.1:${port}`;
      return new CrashStation(dir, influx, broker, url, gatewayAccount, ingestAccount);
    } catch (error) {
      await broker?.stop();
      await influx?.stop();
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * `node --import tsx cli/main.ts ingest`, configured as an operator would, by FS_ variables, with
   * the default client id (fs-ingest); resolves once it is subscribed.
   */
  async startIngest(): Promise<CliProcess> {
    const ingest = CliProcess.start(
      ['ingest'],
      cleanEnv({
        FS_MQTT_URL: this.mqttUrl,
        FS_MQTT_USERNAME: this.ingestAccount.username,
        FS_MQTT_PASSWORD: this.ingestAccount.password,
        FS_INFLUX_URL: this.influx.config.url,
        FS_INFLUX_DATABASE: this.influx.config.database,
        // Every ingest of the test resumes the same spool, as a restarted service does.
        FS_DATA_DIR: join(this.dir, 'data'),
        FS_LOG_LEVEL: 'info',
      }),
    );
    this.ingests.push(ingest);
    // A child that compiles the CLI with tsx can take long to start on a loaded machine: a deadline, not a pace.
    await ingest.waitForLog('ingest started', undefined, 120_000);
    return ingest;
  }

  /** How many of the gateway's readings InfluxDB holds. */
  async storedCount(): Promise<number> {
    const [row] = await this.influx.rows(`SELECT count(value) ${READINGS}`);
    return typeof row?.count === 'number' ? row.count : 0;
  }

  /** The value of every stored reading of the gateway, ascending; chunked, so no row limit cuts it. */
  async storedValues(): Promise<number[]> {
    const values: number[] = [];
    for await (const series of this.influx.connection.queries.stream(`SELECT value ${READINGS}`)) {
      const column = series.columns.indexOf('value');
      for (const row of series.values) values.push(Number(row[column]));
    }
    return values.sort((a, b) => a - b);
  }

  /** The state a failed wait reports: the load's progress, the broker's counters, each ingest's last lines. */
  describe(load: { published: number }): string {
    const ingests = this.ingests.map(
      (ingest, i) => `ingest #${i + 1} (pid ${ingest.pid}):\n${ingest.logs.tail()}`,
    );
    return [
      `batches published: ${load.published}`,
      `broker: ${JSON.stringify(this.broker.stats())}`,
      ...ingests,
    ].join('\n');
  }

  /** Kills every ingest still running, then stops the broker and influxd; safe after a failed test. */
  async stop(): Promise<void> {
    try {
      await Promise.allSettled(this.ingests.map((ingest) => ingest.kill()));
      await this.broker.stop();
    } finally {
      await this.influx.stop().finally(() => rm(this.dir, { recursive: true, force: true }));
    }
  }
}
