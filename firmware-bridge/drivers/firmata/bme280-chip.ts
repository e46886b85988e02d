import type { Logger } from 'pino';
import { type BackoffPolicy, backoffDelayMs } from '../../../backoff/index.js';
import type { Clock, Timer } from '../../clock.js';
import type { GatewayErrorCode } from '../../errors.js';
import { DEFAULT_BACKOFF } from '../../reconnect-backoff.js';
import type { I2cReply } from './firmata-frames.js';
import {
  type FirmataIo,
  type J5Bme280,
  type J5Board,
  type J5ChipDriver,
  Multi,
  withIntervals,
} from './johnny-five.js';
import type { ChipState } from './readouts.js';
import { formatAddress } from './sensor-plan.js';

export type ChipFaultCode = Extract<GatewayErrorCode, 'FIRMATA_I2C_READ_FAILED' | 'FIRMATA_I2C_WRONG_CHIP'>;

const CHIP_ID_REGISTER = 0xd0;
const BME280_CHIP_ID = 0x60;
/** The reads Johnny-Five 2.1's BME280 driver makes (calibration, then the data block), and their lengths. */
const J5_READS = new Map([
  [0x88, 24],
  [0xa1, 1],
  [0xe1, 8],
  [0xf7, 8],
]);
/** Johnny-Five drops a BME280's first second of readings (the sensor's step response). */
export const J5_STANDBY_MS = 1000;

export interface Bme280ChipOptions {
  address: number;
  io: FirmataIo;
  board: J5Board;
  clock: Clock;
  logger: Logger;
  retry?: BackoffPolicy;
  /** How often Johnny-Five's components refresh; also bounds the chip-id probe's wait. */
  freqMs: number;
  replyTimeoutMs: number;
  onFault(code: ChipFaultCode, message: string): void;
}

interface Running {
  multi: J5Bme280;
  driver: J5ChipDriver;
  intervals: ReturnType<typeof setInterval>[];
  state: ChipState;
}

/**
 * One BME280 on a board's I2C bus, read through Johnny-Five's Multi. The chip is first asked for
 * its id, so a missing or wrong device is named instead of compensated into plausible nonsense (a
 * calibration read of nothing gives 0.00 Cel); a short read while running means the device went
 * away: the Multi is dropped and the chip probed again with back-off.
 */
export class Bme280Chip {
  readonly label: string;
  private running: Running | undefined;
  private timer: Timer | undefined;
  private attempt = 0;
  private probing = false;
  private disposed = false;

  constructor(private readonly options: Bme280ChipOptions) {
    this.label = `BME280 at ${formatAddress(options.address)}`;
  }

  start(): void {
    this.probe();
  }

  /** Freshness and latest reading, or undefined while the chip is being (re)found. */
  state(): ChipState | undefined {
    return this.running?.state;
  }

  /** Every I2C reply the board sent, to catch a short read Johnny-Five would compensate anyway. */
  onI2cReply(reply: I2cReply): void {
    if (this.running === undefined || reply.address !== this.options.address) return;
    const expected = J5_READS.get(reply.register);
    if (expected === undefined || reply.bytes.length >= expected) return;
    const got = `${reply.bytes.length} of ${expected} bytes from register ${formatAddress(reply.register)}`;
    this.fail('FIRMATA_I2C_READ_FAILED', `${this.label} gave ${got}: device not answering`, true);
  }

  /** Stops everything without writing to the board: its port may already be gone. */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.teardown(false);
  }

  private probe(): void {
    if (this.disposed) return;
    const { io, address, replyTimeoutMs } = this.options;
    io.i2cConfig({ address, delay: 0 });
    this.probing = true;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.probing = false;
      this.fail('FIRMATA_I2C_READ_FAILED', `${this.label}: no reply to the chip id read`, false);
    }, replyTimeoutMs);
    io.i2cReadOnce(address, CHIP_ID_REGISTER, 1, (data) => this.onChipId(data));
  }

  private onChipId(data: readonly number[]): void {
    if (this.disposed || !this.probing) return;
    this.probing = false;
    this.clearTimer();
    const [id] = data;
    if (id === undefined) {
      this.fail('FIRMATA_I2C_READ_FAILED', `${this.label}: no device answers`, false);
    } else if (id !== BME280_CHIP_ID) {
      const message = `${this.label}: chip id ${formatAddress(id)} is not a BME280 (${formatAddress(BME280_CHIP_ID)})`;
      this.fail('FIRMATA_I2C_WRONG_CHIP', message, false);
    } else {
      this.build();
    }
  }

  private build(): void {
    const { board, address, freqMs, clock } = this.options;
    try {
      const { value, intervals } = withIntervals(() => {
        const multi = new Multi({ board, controller: 'BME280', address, freq: freqMs });
        return { multi, driver: Multi.Drivers.get(board, 'BME280', { address }) };
      });
      const state: ChipState = { label: this.label, sinceMs: clock.now() + J5_STANDBY_MS };
      this.running = { ...value, intervals, state };
      value.driver.on('data', () => this.onData(value.multi, state));
      this.attempt = 0;
      this.options.logger.info({ address: formatAddress(address) }, 'BME280 found');
    } catch (error) {
      this.options.logger.warn({ err: error }, 'Johnny-Five refused the BME280');
      this.fail('FIRMATA_I2C_READ_FAILED', `${this.label}: ${(error as Error).message}`, false);
    } finally {
      // Johnny-Five keeps drivers per board in a module-wide map; only the Multi needed it.
      Multi.Drivers.clear();
    }
  }

  private onData(multi: J5Bme280, state: ChipState): void {
    state.reading = {
      celsius: multi.thermometer.celsius,
      relativeHumidity: multi.hygrometer.relativeHumidity,
      pressureKpa: multi.barometer.pressure,
    };
    state.lastAtMs = this.options.clock.now();
  }

  private fail(code: ChipFaultCode, message: string, stopReading: boolean): void {
    if (this.disposed) return;
    this.teardown(stopReading);
    this.options.onFault(code, message);
    const delay = backoffDelayMs(this.attempt + 1, this.options.retry ?? DEFAULT_BACKOFF);
    this.attempt += 1;
    this.clearTimer();
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.probe();
    }, delay);
  }

  private teardown(stopReading: boolean): void {
    const running = this.running;
    this.running = undefined;
    if (running === undefined) return;
    for (const interval of running.intervals) clearInterval(interval);
    running.driver.removeAllListeners();
    // Tells the board to stop the continuous read and drops firmata-io's listeners for the chip.
    if (stopReading) this.options.io.i2cStop({ address: this.options.address });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
