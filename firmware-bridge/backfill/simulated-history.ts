import { join } from 'node:path';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.js';
import { DAY_MS } from '../drivers/simulator/signals/calendar.js';
import { type BackfillMarker, readBackfillMarker, writeBackfillMarker } from './backfill-marker.js';
import { HISTORY_BATCH_LIMITS, historyBatches } from './history-batches.js';
import { historyReadings } from './history-readings.js';
import { prefillOutbox } from './prefill-outbox.js';
import { historySamples } from './sample-schedule.js';
import { chooseShift, shiftWeather } from './showcase-shift.js';

export interface HistoryOptions {
  /** Days of history before now; 0 writes none (a marker left by an earlier start still applies). */
  days: number;
  /** The end of the window, default the clock: the live simulation takes over from here. */
  nowMs?: number;
}

/** A simulated gateway's history: written at this start (`fresh`) or found from an earlier one. */
export interface GatewayHistory {
  marker: BackfillMarker;
  fresh: boolean;
}

export interface PreparedGateway {
  /** The config the gateway runs with: its weather shifted as the history was, its quota raised. */
  config: GatewayConfig;
  history: GatewayHistory | undefined;
}

function shifted(config: GatewayConfig, shiftDays: number, extraBytes: number): GatewayConfig {
  const sensors = shiftWeather(config.sensors, shiftDays);
  const outbox = { ...config.outbox, maxBytes: config.outbox.maxBytes + extraBytes };
  return { ...config, sensors, outbox };
}

/**
 * Before a simulated gateway starts: unless its data dir shows a backfill was done, writes `days` of
 * its readings into its outbox (the gateway delivers them through MQTT like any backlog), choosing a
 * shift of the deterministic weather so the week shows the demo's episodes, and records both in a
 * marker. Returns the config the live gateway must run with to continue that weather.
 */
export async function prepareSimulatedHistory(
  config: GatewayConfig,
  gatewayDir: string,
  options: HistoryOptions,
  logger: Logger,
): Promise<PreparedGateway> {
  const log = logger.child({ station: config.station, gateway: config.gateway });
  const found = await readBackfillMarker(gatewayDir);
  if (found !== undefined) {
    log.info(
      { from: new Date(found.fromMs).toISOString(), to: new Date(found.toMs).toISOString() },
      'backfill skipped: the data dir already holds it',
    );
    return {
      config: shifted(config, found.shiftDays, found.bytes),
      history: { marker: found, fresh: false },
    };
  }
  if (options.days <= 0) return { config, history: undefined };
  const toMs = Math.floor(options.nowMs ?? Date.now());
  const window = { fromMs: toMs - Math.round(options.days * DAY_MS), toMs };
  const choice = chooseShift(config.sensors, window);
  if (choice.missing.length > 0)
    log.warn({ missing: choice.missing }, 'no weather shift shows every episode');
  const live = shifted(config, choice.shiftDays, 0);
  const startedAt = Date.now();
  const readings = historyReadings(live.sensors, historySamples(live.sensors, window), ({ sensor, reason }) =>
    log.warn({ sensor, reason }, 'backfill reading rejected'),
  );
  const result = await prefillOutbox({
    dir: join(gatewayDir, 'outbox'),
    batches: historyBatches(readings, HISTORY_BATCH_LIMITS),
    logger: log,
  });
  const marker: BackfillMarker = {
    v: 1,
    station: config.station,
    gateway: config.gateway,
    ...window,
    shiftDays: choice.shiftDays,
    ...result,
    shown: choice.shown,
  };
  await writeBackfillMarker(gatewayDir, marker);
  log.info(
    { ...result, shiftDays: choice.shiftDays, shown: choice.shown, ms: Date.now() - startedAt },
    'backfill written to the outbox',
  );
  return { config: shifted(config, choice.shiftDays, result.bytes), history: { marker, fresh: true } };
}
