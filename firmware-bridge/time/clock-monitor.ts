import type { Logger } from 'pino';
import type { ClockHealth } from '../../protocol/index.js';
import { type Clock, systemClock, type Timer } from '../clock.js';
import type { TimeReference } from '../drivers/driver.js';
import type { ClockConfig } from './clock-config.js';
import { judgeClock, type NtpState } from './clock-state.js';
import { readNtpState } from './ntp-state.js';

export interface ClockMonitorOptions {
  config: ClockConfig;
  logger: Logger;
  clock?: Clock;
  readNtp?: () => Promise<NtpState>;
}

/** Keeps the gateway's judgement of its own clock current: NTP state read periodically, GPS fixes as they come. */
export class ClockMonitor {
  private readonly clock: Clock;
  private readonly readNtp: () => Promise<NtpState>;
  private ntp: NtpState = 'unknown';
  private gps: TimeReference | undefined;
  private timer: Timer | undefined;
  private lastState: ClockHealth['state'] | undefined;
  private stopped = true;

  constructor(private readonly options: ClockMonitorOptions) {
    this.clock = options.clock ?? systemClock;
    this.readNtp = options.readNtp ?? (() => readNtpState());
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (this.options.config.source === 'none' || this.options.config.source === 'gps') return;
    await this.check();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  reference(reference: TimeReference): void {
    this.gps = reference;
    this.current();
  }

  /** The judgement now; a change of state is logged once. */
  current(): ClockHealth {
    const health = judgeClock(this.options.config, { nowMs: this.clock.now(), ntp: this.ntp, gps: this.gps });
    if (health.state !== this.lastState) {
      const level = health.state === 'unsynced' ? 'warn' : 'info';
      this.options.logger[level]({ clock: health }, `gateway clock ${health.state}`);
      this.lastState = health.state;
    }
    return health;
  }

  private async check(): Promise<void> {
    this.ntp = await this.readNtp();
    if (this.stopped) return;
    this.current();
    this.timer = this.clock.setTimeout(() => void this.check(), this.options.config.checkIntervalMs);
  }
}
