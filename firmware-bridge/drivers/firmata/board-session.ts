import type { Logger } from 'pino';
import type { SerialPort } from 'serialport';
import type { BackoffPolicy } from '../../../backoff/index.js';
import type { Clock } from '../../clock.js';
import { AnalogPin } from './analog-pin.js';
import { Bme280Chip, type ChipFaultCode } from './bme280-chip.js';
import type { Bme280Field, FirmataProtocol } from './config.js';
import { FIRMATA, type FirmataFrame, FirmataFrameReader, parseI2cReply } from './firmata-frames.js';
import { FirmataTransport } from './firmata-transport.js';
import { Board, Firmata, type FirmataIo, forgetBoard, type J5Board, type J5LogEvent } from './johnny-five.js';
import { analogReadout, chipReadout, type Readout } from './readouts.js';
import type { SensorPlan } from './sensor-plan.js';

export interface BoardSessionOptions {
  /** Names the board to Johnny-Five (and in logs): the port id. */
  id: string;
  protocol: FirmataProtocol;
  plan: SensorPlan;
  clock: Clock;
  logger: Logger;
  retry?: BackoffPolicy;
  /** The handshake is over and every sensor is set up. */
  onReady(): void;
  /** An I2C chip failed: only its sensors are concerned. */
  onChipFault(code: ChipFaultCode, message: string, sensors: readonly string[]): void;
}

type SensorSource =
  | { kind: 'pin'; pin: AnalogPin; aref?: number }
  | { kind: 'chip'; chip: Bme280Chip; field: Bme280Field };

/**
 * One Firmata board on one opening of its port: a firmata-io instance, the Johnny-Five Board over
 * it, and the pins and chips it reads. A reopened port gets a new session; nothing carries over.
 */
export class BoardSession {
  readonly startedAtMs: number;
  private transport: FirmataTransport | undefined;
  private io: FirmataIo | undefined;
  private board: J5Board | undefined;
  private readonly reader = new FirmataFrameReader('board');
  private readonly sources = new Map<string, SensorSource>();
  private readonly pins: AnalogPin[] = [];
  private readonly chips: Bme280Chip[] = [];
  private lastFrameMs: number;
  private junkBytes = 0;
  private ended = false;
  ready = false;

  constructor(private readonly options: BoardSessionOptions) {
    this.startedAtMs = options.clock.now();
    this.lastFrameMs = this.startedAtMs;
  }

  /** Starts the handshake on a freshly opened port. */
  start(port: SerialPort): void {
    const { protocol, logger } = this.options;
    this.transport = new FirmataTransport(port, (chunk) => this.onBytes(chunk));
    const io = new Firmata(this.transport, {
      reportVersionTimeout: protocol.bootDelayMs,
      samplingInterval: protocol.samplingIntervalMs,
    });
    this.io = io;
    io.on('error', (error: Error) => logger.debug({ err: error }, 'firmata-io error'));
    io.on('string', (text: string) => logger.debug({ text }, 'board says'));
    io.once('ready', () => this.onIoReady(io));
  }

  /** Time since the board last sent a whole message (or since the session started). */
  silentForMs(): number {
    return this.options.clock.now() - this.lastFrameMs;
  }

  /** Bytes of noise seen since the last call. */
  takeJunkBytes(): number {
    const junk = this.junkBytes;
    this.junkBytes = 0;
    return junk;
  }

  readout(sensorId: string): Readout {
    const source = this.sources.get(sensorId);
    if (source === undefined || !this.ready) return { kind: 'none' };
    const now = this.options.clock.now();
    const staleAfterMs = this.options.protocol.replyTimeoutMs;
    if (source.kind === 'chip') {
      const state = source.chip.state();
      return state === undefined ? { kind: 'none' } : chipReadout(state, source.field, now, staleAfterMs);
    }
    if (!source.pin.exists) {
      const message = `pin ${source.pin.plan.pin} is not an analog input on this board (it has ${this.io?.analogPins.length ?? 0})`;
      return { kind: 'fault', code: 'FIRMATA_PIN_INVALID', message };
    }
    const state = source.pin.state();
    if (state === undefined) return { kind: 'none' };
    return analogReadout(
      state,
      source.aref === undefined ? { id: sensorId } : { id: sensorId, aref: source.aref },
      now,
      staleAfterMs,
    );
  }

  /** Releases the board without writing to it: its port may be gone already. */
  dispose(): void {
    this.ended = true;
    for (const chip of this.chips) chip.dispose();
    for (const pin of this.pins) pin.dispose();
    if (this.board !== undefined) {
      this.board.removeAllListeners();
      forgetBoard(this.board);
    }
    if (this.io !== undefined) {
      clearTimeout(this.io.reportVersionTimeoutId);
      this.io.removeAllListeners();
    }
    this.transport?.detach();
  }

  private onIoReady(io: FirmataIo): void {
    if (this.ended) return;
    const { id, logger } = this.options;
    logger.info({ firmware: io.firmware.name, version: io.firmware.version }, 'Firmata board answered');
    const board = new Board({ io, repl: false, debug: false, sigint: false, id });
    this.board = board;
    board.on('message', (event: J5LogEvent) => this.logJohnnyFive(event));
    board.on('error', (error: unknown) => logger.warn({ err: error }, 'Johnny-Five board error'));
    board.once('ready', () => this.onBoardReady(io, board));
  }

  private onBoardReady(io: FirmataIo, board: J5Board): void {
    if (this.ended) return;
    const { plan, clock, logger, retry, protocol } = this.options;
    for (const pinPlan of plan.pins) {
      const pin = new AnalogPin(pinPlan, io, clock);
      this.pins.push(pin);
      if (pin.exists) pin.start(board, protocol.samplingIntervalMs);
      for (const sensor of pinPlan.sensors)
        this.sources.set(sensor.id, { kind: 'pin', pin, aref: sensor.aref });
    }
    for (const chipPlan of plan.chips) {
      const ids = chipPlan.sensors.map((sensor) => sensor.id);
      const chip = new Bme280Chip({
        address: chipPlan.address,
        io,
        board,
        clock,
        logger,
        retry,
        freqMs: protocol.samplingIntervalMs,
        replyTimeoutMs: protocol.replyTimeoutMs,
        onFault: (code, message) => this.options.onChipFault(code, message, ids),
      });
      this.chips.push(chip);
      for (const { id, field } of chipPlan.sensors) this.sources.set(id, { kind: 'chip', chip, field });
    }
    this.ready = true;
    this.options.onReady();
    for (const chip of this.chips) chip.start();
  }

  private onBytes(chunk: Buffer): void {
    const batch = this.reader.push(chunk);
    this.junkBytes += batch.junkBytes;
    if (batch.frames.length > 0) this.lastFrameMs = this.options.clock.now();
    for (const frame of batch.frames) this.onFrame(frame);
  }

  private onFrame(frame: FirmataFrame): void {
    if (frame.kind === 'channel' && frame.command === FIRMATA.ANALOG_MESSAGE) {
      for (const pin of this.pins) if (pin.plan.channel === frame.channel) pin.onReport();
      return;
    }
    const reply = parseI2cReply(frame);
    if (reply !== undefined) for (const chip of this.chips) chip.onI2cReply(reply);
  }

  private logJohnnyFive(event: J5LogEvent): void {
    const level = event.type === 'error' || event.type === 'fail' || event.type === 'warn' ? 'warn' : 'debug';
    this.options.logger[level]({ component: event.class }, `Johnny-Five: ${event.message}`);
  }
}
