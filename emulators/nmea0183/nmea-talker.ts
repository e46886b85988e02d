import type { SerialPort } from 'serialport';
import { closeDevicePort, openDevicePort } from '../device-port.js';
import {
  type BurstSettings,
  composeBurst,
  EMULATED_SENTENCES,
  type EmulatedSentence,
  type NmeaFault,
  type ValueOf,
} from './burst.js';

export interface NmeaTalkerOptions {
  /** The device end of a PTY pair (or a real serial port). */
  path: string;
  baudRate?: number;
  valueOf: ValueOf;
  /** Time between bursts; the first burst goes out on start(). Default 1000. */
  intervalMs?: number;
  /** The talker's UTC: what GGA, RMC and ZDA report and what `valueOf` is asked at. Default Date.now. */
  now?: () => number;
  /** Default WI (weather instrument). */
  weatherTalker?: string;
  /** Default GP. */
  gpsTalker?: string;
  /** Default MWV, MDA, XDR, GGA, RMC. */
  sentences?: readonly EmulatedSentence[];
  /** MWV speed unit: M m/s (default), N knots, K km/h. */
  windSpeedUnit?: BurstSettings['windSpeedUnit'];
  /** MWV reference: R relative (default) or T true. */
  mwvReference?: BurstSettings['mwvReference'];
}

/**
 * An NMEA 0183 talker on a serial port, modelled on a heated ultrasonic weather station with a GPS
 * (the Xuefeng mast): every interval it sends MWV, MDA, XDR, GGA and RMC with correct checksums. Faults
 * are injected per sentence for tests and rehearsals.
 */
export class NmeaTalkerEmulator {
  private readonly settings: BurstSettings;
  private readonly faults = new Map<EmulatedSentence, NmeaFault>();
  private port: SerialPort | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: NmeaTalkerOptions) {
    this.settings = {
      weatherTalker: options.weatherTalker ?? 'WI',
      gpsTalker: options.gpsTalker ?? 'GP',
      sentences: options.sentences ?? ['MWV', 'MDA', 'XDR', 'GGA', 'RMC'],
      windSpeedUnit: options.windSpeedUnit ?? 'M',
      mwvReference: options.mwvReference ?? 'R',
    };
  }

  async start(): Promise<void> {
    const port = await openDevicePort({
      path: this.options.path,
      baudRate: this.options.baudRate ?? 4800,
    });
    // A closed PTY peer shows up as an error on the port; the emulator only stops sending.
    port.on('error', () => this.clearTimer());
    this.port = port;
    this.tick();
  }

  async stop(): Promise<void> {
    this.clearTimer();
    const port = this.port;
    this.port = undefined;
    await closeDevicePort(port);
  }

  /** Applies `fault` to one sentence or all of them; undefined clears it. */
  setFault(target: EmulatedSentence | 'all', fault: NmeaFault | undefined): void {
    for (const sentence of target === 'all' ? EMULATED_SENTENCES : [target]) {
      if (fault === undefined) this.faults.delete(sentence);
      else this.faults.set(sentence, fault);
    }
  }

  /** Sends bytes as they are, for faults no setting describes (an overlong sentence, a glitch mid-line). */
  writeRaw(data: string | Buffer): Promise<void> {
    const port = this.port;
    if (port === undefined) return Promise.reject(new Error('the emulator is not started'));
    return new Promise((resolve, reject) => {
      port.write(data, (error) =>
        error ? reject(error) : port.drain((drained) => (drained ? reject(drained) : resolve())),
      );
    });
  }

  private tick(): void {
    const timeMs = (this.options.now ?? Date.now)();
    const burst = composeBurst(this.settings, this.faults, this.options.valueOf, timeMs);
    if (burst !== '') this.port?.write(burst);
    this.timer = setTimeout(() => this.tick(), this.options.intervalMs ?? 1000);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
