import type { SerialPort } from 'serialport';
import type { Bme280Field, FirmataDriverConfig } from '../../firmware-bridge/drivers/firmata/contract.js';
import {
  FIRMATA,
  type FirmataFrame,
  FirmataFrameReader,
  SYSEX,
} from '../../firmware-bridge/drivers/firmata/contract.js';
import { closeDevicePort, openDevicePort } from '../device-port.js';
import { Bme280Device } from './bme280-device.js';
import {
  analogMappingResponse,
  analogMessage,
  capabilityResponse,
  firmwareReport,
  type I2cRequest,
  i2cReply,
  type PinCapability,
  parseI2cRequest,
  pinStateResponse,
  reportVersion,
  stringData,
  unoPins,
} from './board-messages.js';

/** The whole board: `silent` answers nothing; `garbage` puts noise between its messages. */
export type BoardFault = 'silent' | 'garbage';
/** One analog input: `silent` is never reported; `out-of-range` reports 16383, beyond a 10-bit ADC. */
export type ChannelFault = 'silent' | 'out-of-range';

export interface FirmataBoardEmulatorOptions {
  /** The device end of a PTY pair. */
  path: string;
  /** StandardFirmata's 57600 unless given. */
  baudRate?: number;
  /**
   * The value of a channel at a time: "A0".."A5" in ADC counts (rounded, clamped to 0-1023);
   * `bme280ChannelName(address, field)` in Cel, hPa and %.
   */
  valueOf(channel: string, timeMs: number): number;
  /** I2C addresses that hold a BME280 (default 0x76). */
  bme280Addresses?: readonly number[];
}

export const analogChannelName = (channel: number): string => `A${channel}`;
export const bme280ChannelName = (address: number, field: Bme280Field): string =>
  `bme280@0x${address.toString(16)}/${field}`;

/** The emulator channel a firmata sensor reads, for wiring a sensor config to a value source. */
export function emulatorChannel(driver: FirmataDriverConfig): string {
  return driver.kind === 'analog' ? driver.pin : bme280ChannelName(driver.address, driver.field);
}

const GARBAGE = Buffer.from([0x13, 0x37, 0xfe, 0x42, 0x00, 0xf3, 0x7a]);
const ADC_MAX = 1023;
const OUT_OF_RANGE = 0x3fff;
const I2C_SHORT_READ = 'I2C: Too few bytes received';

type ReadRequest = Extract<I2cRequest, { mode: 'read' | 'continuous' }>;

/**
 * An Arduino running StandardFirmata 2.5 on the far end of a serial port: it answers the
 * handshake Johnny-Five/firmata-io make, reports analog inputs and continuous I2C reads every
 * sampling interval, and carries BME280s on its I2C bus. Real timers: it stands for a device.
 */
export class FirmataBoardEmulator {
  private port: SerialPort | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly reader = new FirmataFrameReader('host');
  private readonly pins: PinCapability[] = unoPins();
  private readonly pinModes = new Map<number, number>();
  private readonly reporting = new Set<number>();
  private readonly continuous: ReadRequest[] = [];
  private readonly devices = new Map<number, Bme280Device>();
  private readonly absent = new Set<number>();
  private readonly channelFaults = new Map<string, ChannelFault>();
  private boardFault: BoardFault | undefined;
  private samplingIntervalMs = 19;

  constructor(private readonly options: FirmataBoardEmulatorOptions) {
    for (const address of options.bme280Addresses ?? [0x76]) {
      this.devices.set(address, new Bme280Device(() => this.bme280Values(address)));
    }
  }

  async start(): Promise<void> {
    const port = await openDevicePort({
      path: this.options.path,
      baudRate: this.options.baudRate ?? 57600,
    });
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    this.port = port;
    this.restartTimer();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const port = this.port;
    this.port = undefined;
    await closeDevicePort(port);
  }

  setBoardFault(fault: BoardFault | undefined): void {
    this.boardFault = fault;
  }

  setChannelFault(channel: string, fault: ChannelFault | undefined): void {
    if (fault === undefined) this.channelFaults.delete(channel);
    else this.channelFaults.set(channel, fault);
  }

  /** An absent device answers no read: the board says "too few bytes" and replies with none. */
  setI2cDevicePresent(address: number, present: boolean): void {
    if (present) this.absent.delete(address);
    else this.absent.add(address);
  }

  private bme280Values(address: number) {
    const now = Date.now();
    const value = (field: Bme280Field) => this.options.valueOf(bme280ChannelName(address, field), now);
    return { temperature: value('temperature'), pressure: value('pressure'), humidity: value('humidity') };
  }

  private send(message: Buffer): void {
    if (this.boardFault === 'silent' || !this.port?.isOpen) return;
    this.port.write(this.boardFault === 'garbage' ? Buffer.concat([GARBAGE, message]) : message);
  }

  private onData(chunk: Buffer): void {
    if (this.boardFault === 'silent') return;
    for (const frame of this.reader.push(chunk).frames) this.onFrame(frame);
  }

  private onFrame(frame: FirmataFrame): void {
    if (frame.kind === 'sysex') {
      this.sysexHandlers[frame.command]?.(frame.data);
    } else if (frame.kind === 'channel' && frame.command === FIRMATA.REPORT_ANALOG) {
      if (frame.data[0] === 1) this.reporting.add(frame.channel);
      else this.reporting.delete(frame.channel);
    } else if (frame.kind === 'system') {
      this.systemHandlers[frame.command]?.(frame.data);
    }
  }

  private readonly systemHandlers: Record<number, (data: number[]) => void> = {
    [FIRMATA.REPORT_VERSION]: () => this.send(reportVersion(2, 5)),
    [FIRMATA.SET_PIN_MODE]: ([pin = 0, mode = 0]) => this.pinModes.set(pin, mode),
    [FIRMATA.SYSTEM_RESET]: () => {
      this.reporting.clear();
      this.continuous.length = 0;
    },
  };

  private readonly sysexHandlers: Record<number, (data: number[]) => void> = {
    [SYSEX.QUERY_FIRMWARE]: () => this.send(firmwareReport('StandardFirmata.ino', 2, 5)),
    [SYSEX.CAPABILITY_QUERY]: () => this.send(capabilityResponse(this.pins)),
    [SYSEX.ANALOG_MAPPING_QUERY]: () => this.send(analogMappingResponse(this.pins)),
    [SYSEX.PIN_STATE_QUERY]: ([pin = 0]) => this.send(pinStateResponse(pin, this.pinModes.get(pin) ?? 0, 0)),
    [SYSEX.SAMPLING_INTERVAL]: ([lsb = 0, msb = 0]) => {
      this.samplingIntervalMs = Math.max(1, lsb | (msb << 7));
      this.restartTimer();
    },
    [SYSEX.I2C_CONFIG]: () => undefined,
    [SYSEX.I2C_REQUEST]: (data) => this.onI2cRequest(data),
  };

  private onI2cRequest(data: number[]): void {
    const request = parseI2cRequest(data);
    if (request === undefined) return;
    if (request.mode === 'write') {
      const [register, ...bytes] = request.bytes;
      if (register !== undefined) this.devices.get(request.address)?.write(register, bytes);
    } else if (request.mode === 'stop') {
      const kept = this.continuous.filter((read) => read.address !== request.address);
      this.continuous.splice(0, this.continuous.length, ...kept);
    } else {
      if (request.mode === 'continuous') this.continuous.push(request);
      this.readI2c(request);
    }
  }

  private readI2c({ address, register, count }: ReadRequest): void {
    const device = this.devices.get(address);
    if (device === undefined || this.absent.has(address)) {
      this.send(stringData(I2C_SHORT_READ));
      this.send(i2cReply(address, register ?? 0, []));
      return;
    }
    this.send(i2cReply(address, register ?? 0, device.readBlock(register ?? 0, count)));
  }

  private restartTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.port === undefined) return;
    this.timer = setInterval(() => this.report(), this.samplingIntervalMs);
  }

  private report(): void {
    const now = Date.now();
    for (const channel of [...this.reporting].sort((a, b) => a - b)) {
      const name = analogChannelName(channel);
      const fault = this.channelFaults.get(name);
      if (fault === 'silent') continue;
      const value = Math.round(Math.min(ADC_MAX, Math.max(0, this.options.valueOf(name, now))));
      this.send(analogMessage(channel, fault === 'out-of-range' ? OUT_OF_RANGE : value));
    }
    for (const read of this.continuous) this.readI2c(read);
  }
}
