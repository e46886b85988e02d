import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

/*
 * Typed doors into johnny-five 2.1 and firmata-io 2.3, which ship no type declarations: only what
 * this driver touches. Johnny-Five is loaded with an `io` instance, so it never reaches for its own
 * `firmata` package or the serialport 8 that comes with it (those are required lazily, only when
 * Johnny-Five opens a port itself).
 */

/** What firmata-io writes to and listens on: our SerialPort, seen through a FirmataTransport. */
export interface FirmataTransportLike extends EventEmitter {
  write(data: Buffer, callback?: (error?: Error | null) => void): unknown;
}

export interface FirmataOptions {
  /** How long to wait for the board's own version announcement before asking for it. */
  reportVersionTimeout: number;
  samplingInterval: number;
}

export interface FirmataIo extends EventEmitter {
  readonly isReady: boolean;
  readonly analogPins: number[];
  readonly RESOLUTION: { ADC: number | null };
  readonly firmware: { name?: string; version?: { major: number; minor: number } };
  reportVersionTimeoutId?: ReturnType<typeof setTimeout>;
  i2cConfig(options: { address?: number; delay?: number }): unknown;
  i2cReadOnce(address: number, register: number, length: number, callback: (data: number[]) => void): unknown;
  i2cStop(options: { address: number }): void;
}

type FirmataConstructor = new (transport: FirmataTransportLike, options: FirmataOptions) => FirmataIo;

export interface J5LogEvent {
  type: 'log' | 'error' | 'fail' | 'warn' | 'info';
  class: string;
  message: string;
}

export interface J5Board extends EventEmitter {
  readonly isReady: boolean;
}

export interface J5Sensor extends EventEmitter {
  /** The last raw reading (null before the first); no scale is configured, so `value` is raw. */
  readonly value: number | null;
}

export interface J5Bme280 extends EventEmitter {
  readonly thermometer: { readonly celsius: number };
  readonly hygrometer: { readonly relativeHumidity: number };
  /** kPa. */
  readonly barometer: { readonly pressure: number };
}

/** The emitter Johnny-Five's BME280 driver shares between a Multi's components; emits each compensated read. */
export type J5ChipDriver = EventEmitter;

interface JohnnyFive {
  Board: (new (options: {
    io: FirmataIo;
    repl: false;
    debug: false;
    sigint: false;
    id: string;
  }) => J5Board) & { readonly cache: J5Board[] };
  Sensor: new (options: { board: J5Board; pin: string; freq: number; type: 'analog' }) => J5Sensor;
  Multi: (new (options: {
    board: J5Board;
    controller: 'BME280';
    address: number;
    freq: number;
  }) => J5Bme280) & {
    Drivers: {
      get(board: J5Board, name: 'BME280', options: { address: number }): J5ChipDriver;
      clear(): void;
    };
  };
}

const require = createRequire(import.meta.url);
const firmataIo = require('firmata-io') as { Firmata: FirmataConstructor };

export const Firmata = firmataIo.Firmata;
// The three classes from their own files: Johnny-Five's index loads all of its ~50 components (LEDs,
// motors, LCDs, ...), a megabyte of heap a gateway never uses. Multi is Johnny-Five's SIP class.
export const Board = require('johnny-five/lib/board.js') as JohnnyFive['Board'];
export const Sensor = require('johnny-five/lib/sensor.js') as JohnnyFive['Sensor'];
export const Multi = require('johnny-five/lib/sip.js') as JohnnyFive['Multi'];

type Interval = ReturnType<typeof setInterval>;

/**
 * Johnny-Five's components start intervals they never stop (Multi, Barometer, Hygrometer and
 * Altimeter keep no handle; they were made for scripts that run until Ctrl-C). Building them
 * through here records the intervals they start, so the driver can stop them with the board.
 * Construction is synchronous, so nothing else runs while `setInterval` is wrapped.
 */
export function withIntervals<T>(build: () => T): { value: T; intervals: Interval[] } {
  const original = globalThis.setInterval;
  const intervals: Interval[] = [];
  const recording = ((...args: Parameters<typeof setInterval>) => {
    const interval = original(...args);
    intervals.push(interval);
    return interval;
  }) as typeof setInterval;
  globalThis.setInterval = recording;
  try {
    return { value: build(), intervals };
  } finally {
    globalThis.setInterval = original;
  }
}

/**
 * Forgets a board Johnny-Five keeps in its module-wide list (made for `new Board()` without
 * arguments), so a board left behind by a reconnect can be collected.
 */
export function forgetBoard(board: J5Board): void {
  const cache = Board.cache;
  const index = cache.indexOf(board);
  if (index >= 0) cache.splice(index, 1);
}
