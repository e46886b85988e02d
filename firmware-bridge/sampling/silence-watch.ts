/** A sensor that has gone quiet: nothing for `silentMs` though it reports every `intervalMs`. */
export interface Silence {
  sensor: string;
  silentMs: number;
  intervalMs: number;
}

/** Missed intervals after which a sensor counts as silent. */
export const SILENT_AFTER_INTERVALS = 5;

/**
 * Notices sensors that stop producing readings without any error to show for it: a logger that
 * never repeats its header, a board that stops reporting one pin, a derived channel whose input is
 * gone. Each silence is reported once, until the sensor reads again. Pure: the caller brings the time.
 */
export class SilenceWatch {
  private readonly sensors = new Map<string, { intervalMs: number; lastMs: number; reported: boolean }>();

  constructor(sensors: readonly { id: string; intervalMs: number }[], startMs: number) {
    for (const { id, intervalMs } of sensors)
      this.sensors.set(id, { intervalMs, lastMs: startMs, reported: false });
  }

  reading(sensor: string, nowMs: number): void {
    const state = this.sensors.get(sensor);
    if (state === undefined) return;
    state.lastMs = nowMs;
    state.reported = false;
  }

  /** The sensors that became silent since the last check. */
  check(nowMs: number): Silence[] {
    const silent: Silence[] = [];
    for (const [sensor, state] of this.sensors) {
      const silentMs = nowMs - state.lastMs;
      if (state.reported || silentMs <= SILENT_AFTER_INTERVALS * state.intervalMs) continue;
      state.reported = true;
      silent.push({ sensor, silentMs, intervalMs: state.intervalMs });
    }
    return silent;
  }
}
