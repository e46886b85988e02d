import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliProcess, cleanEnv } from '../../harness/cli-process.js';
import type { LogRecord } from '../../harness/log-recorder.js';
import { type CrashStation, GATEWAY } from './crash-station.js';

/**
 * A real `fieldstation gateway` on simulated sensors (every 20 ms) in front of a crash station, for
 * the tests that kill it: its config, its runs (each logging at trace level, so every reading its
 * drivers delivered is on record), and what InfluxDB holds of it, by sensor and time.
 */
export class SimulatedGateway {
  private readonly runs: CliProcess[] = [];

  private constructor(
    private readonly station: CrashStation,
    private readonly configFile: string,
  ) {}

  static async write(
    station: CrashStation,
    dir: string,
    options: { sensors: readonly string[]; batch: { maxReadings: number; maxDelayMs: number } },
  ): Promise<SimulatedGateway> {
    const config = {
      ...GATEWAY,
      mqtt: { url: station.mqttUrl, ...station.gatewayAccount },
      outbox: { dir: join(dir, 'outbox') },
      batch: options.batch,
      sensors: options.sensors.map((id, i) => ({
        id,
        quantity: 'temperature',
        unit: 'Cel',
        intervalMs: 20,
        driver: { type: 'simulator', seed: i + 1, signal: { type: 'diurnal', mean: 10 + i } },
      })),
    };
    const configFile = join(dir, 'gateway.json');
    await writeFile(configFile, JSON.stringify(config));
    return new SimulatedGateway(station, configFile);
  }

  start(): CliProcess {
    const run = CliProcess.start(
      ['gateway', '--config', this.configFile],
      cleanEnv({ FS_LOG_LEVEL: 'trace' }),
    );
    this.runs.push(run);
    return run;
  }

  /** Every run started, for the test's clean-up. */
  async killAll(): Promise<void> {
    await Promise.allSettled(this.runs.map((run) => run.kill()));
  }

  /** The readings InfluxDB holds of this gateway, as `sensor@time`. */
  async stored(): Promise<Set<string>> {
    const rows = await this.station.influx.rows(
      `SELECT value FROM reading WHERE station = '${GATEWAY.station}' AND gateway = '${GATEWAY.gateway}' GROUP BY sensor`,
    );
    return new Set(
      rows.map((row) =>
        readingKey(row.sensor, typeof row.time === 'number' ? row.time : Date.parse(String(row.time))),
      ),
    );
  }
}

export const readingKey = (sensor: unknown, time: unknown): string => `${String(sensor)}@${String(time)}`;

/** What a run's drivers delivered, as `sensor@time`: its trace lines, written once a reading is journaled. */
export function delivered(records: readonly LogRecord[]): string[] {
  return records
    .filter((record) => record.msg === 'reading delivered')
    .map((record) => readingKey(record.sensor, record.time));
}
