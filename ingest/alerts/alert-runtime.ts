import type { Logger } from 'pino';
import type { GatewayAddress, Status } from '../../protocol/index.js';
import type { AlertEngine } from './alert-engine.js';
import { toAlertEvent } from './alert-event.js';
import type { AlertPublisher } from './alert-publisher.js';
import type { AlertRule } from './alert-rule.js';
import { writeAlertState } from './alert-state-file.js';
import type { AlertTransition } from './kinds/kind.js';
import { RulesWatcher } from './rules-watcher.js';
import { unknownTargets } from './unknown-targets.js';

export interface AlertRuntimeOptions {
  engine: AlertEngine;
  publisher: AlertPublisher;
  logger: Logger;
  /** Where the state snapshot goes (DATA_DIR/ingest/alert-state.json). */
  stateFile: string;
  /** The rules file to watch for live reload; none, no reload. */
  rulesFile?: string;
  tickMs: number;
  /** The broker's queue counts as drained after this long without a message... */
  settleMs: number;
  /** ...or this long after the start, whichever comes first (a busy station is never quiet). */
  maxCatchUpMs: number;
  /** Counts fired alerts (the ingest's counters). */
  onFired: (count: number) => void;
  now?: () => number;
}

/** Least time between two snapshot writes while states keep changing (a rate window moves at every reading). */
const SNAPSHOT_DEBOUNCE_MS = 2000;

/**
 * The alert engine's clock and persistence: ticks it, publishes what the ticks and statuses cause,
 * saves its state when it changed (debounced, and at stop), reloads the rules file, and warns once
 * per rule about sensors or quantities no gateway announced.
 */
export class AlertRuntime {
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private lastMessageAt = 0;
  private caughtUp = false;
  private savedVersion = -1;
  private lastSave = 0;
  private saving: Promise<void> = Promise.resolve();
  private readonly warned = new Set<string>();
  private readonly watcher: RulesWatcher | undefined;

  constructor(private readonly options: AlertRuntimeOptions) {
    const { rulesFile, logger } = options;
    this.watcher =
      rulesFile === undefined
        ? undefined
        : new RulesWatcher({ file: rulesFile, logger, onRules: (rules) => this.replaceRules(rules) });
  }

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  start(): void {
    this.startedAt = this.now;
    this.lastMessageAt = this.startedAt;
    this.timer = setInterval(() => this.tick(), this.options.tickMs);
    this.timer.unref();
    this.watcher?.start();
  }

  /** Every message the consumer hands over: while they keep coming, the broker's queue is draining. */
  noteMessage(): void {
    this.lastMessageAt = this.now;
  }

  /**
   * A gateway status (from the pipeline). A failure here is logged, not thrown: the status itself is
   * valid and must not be quarantined for a fault of ours.
   */
  status(address: GatewayAddress, status: Status): void {
    try {
      this.publish(this.options.engine.status(address, status, this.now));
      this.warnUnknownTargets(address.station);
    } catch (error) {
      this.options.logger.error({ ...address, err: error }, 'alert evaluation of a gateway status failed');
    }
  }

  private warnUnknownTargets(station: string): void {
    const { engine, logger } = this.options;
    for (const unknown of unknownTargets(engine.rules, station, engine.announcedSensors(station))) {
      const { rule, sensor, quantity } = unknown;
      const key = `${rule.station}/${rule.id}/${sensor ?? ''}/${quantity ?? ''}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      logger.warn(
        { station: rule.station, rule: rule.id, sensor, quantity },
        'alert rule names a sensor or quantity no gateway of its station announced',
      );
    }
  }

  tick(): void {
    const now = this.now;
    if (!this.caughtUp) {
      const quiet = now - this.lastMessageAt >= this.options.settleMs;
      this.caughtUp = quiet || now - this.startedAt >= this.options.maxCatchUpMs;
      if (this.caughtUp)
        this.options.logger.info({ quiet }, 'alert silence checks armed: the broker queue is drained');
    }
    try {
      this.publish(this.options.engine.tick({ now, caughtUp: this.caughtUp }));
    } catch (error) {
      this.options.logger.error({ err: error }, 'alert tick failed');
    }
    // save() logs its own failures and never rejects.
    if (now - this.lastSave >= SNAPSHOT_DEBOUNCE_MS) void this.save();
  }

  private publish(transitions: readonly AlertTransition[]): void {
    if (transitions.length === 0) return;
    this.options.onFired(transitions.filter((t) => t.state === 'firing').length);
    this.options.publisher.enqueue(transitions.map(toAlertEvent));
  }

  replaceRules(rules: readonly AlertRule[]): void {
    const { kept, dropped, cleared } = this.options.engine.replaceRules(rules, this.now);
    this.publish(cleared);
    this.warned.clear();
    this.options.logger.info(
      {
        rules: rules.length,
        kept: kept.length,
        dropped: dropped.map((rule) => `${rule.station}/${rule.id}`),
      },
      'alert rules reloaded',
    );
  }

  /** Writes the snapshot if the state changed since the last write; one write at a time. */
  save(): Promise<void> {
    const { engine } = this.options;
    if (engine.version === this.savedVersion) return this.saving;
    const version = engine.version;
    this.lastSave = this.now;
    const snapshot = engine.snapshot(this.lastSave);
    this.saving = this.saving
      .then(() => writeAlertState(this.options.stateFile, snapshot))
      .then(() => {
        this.savedVersion = Math.max(this.savedVersion, version);
      })
      .catch((error: unknown) =>
        this.options.logger.warn(
          { file: this.options.stateFile, err: error },
          'alert state snapshot not written',
        ),
      );
    return this.saving;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.watcher?.stop();
    await this.save();
  }
}
