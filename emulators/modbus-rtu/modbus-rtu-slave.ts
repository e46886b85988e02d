import type { SerialPort } from 'serialport';
import { closeDevicePort, openDevicePort } from '../device-port.js';
import { checkRegisterMap, type EmulatedUnit, type ValueOf } from './register-map.js';
import { RequestReader } from './request-reader.js';
import { answerRequest, type ModbusSlaveFault, type SlaveRequest } from './slave-answer.js';

export interface ModbusRtuSlaveEmulatorOptions {
  /** The device end of a PTY pair (the driver opens the other end). */
  path: string;
  baudRate?: number;
  parity?: 'none' | 'even' | 'odd';
  /** The slaves on the emulated bus, each with its register map. */
  units: readonly EmulatedUnit[];
  valueOf: ValueOf;
}

/**
 * Modbus RTU slaves on an RS-485 bus, behind one serial port: answers read holding (3) and read
 * input (4) register requests for every unit it hosts, exception 2 for unmapped registers,
 * exception 1 for other functions, and nothing for units it does not host or broadcasts.
 */
export class ModbusRtuSlaveEmulator {
  /** Every request received for a hosted unit, in order, for tests to count reads. */
  readonly requests: SlaveRequest[] = [];
  private readonly units: Map<number, EmulatedUnit>;
  private readonly faults = new Map<number, ModbusSlaveFault>();
  private readonly reader = new RequestReader();
  private port: SerialPort | undefined;

  constructor(private readonly options: ModbusRtuSlaveEmulatorOptions) {
    for (const unit of options.units) checkRegisterMap(unit);
    this.units = new Map(options.units.map((unit) => [unit.unitId, unit]));
  }

  async start(): Promise<void> {
    const port = await openDevicePort({
      path: this.options.path,
      baudRate: this.options.baudRate ?? 9600,
      parity: this.options.parity ?? 'none',
    });
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('error', () => undefined);
    this.port = port;
  }

  async stop(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    await closeDevicePort(port);
  }

  /** Makes unit `unitId` misbehave; undefined heals it. */
  setFault(unitId: number, fault: ModbusSlaveFault | undefined): void {
    if (!this.units.has(unitId)) throw new Error(`no emulated Modbus unit ${unitId}`);
    if (fault === undefined) this.faults.delete(unitId);
    else this.faults.set(unitId, fault);
  }

  private onData(chunk: Buffer): void {
    for (const request of this.reader.push(chunk)) {
      const unit = this.units.get(request.unitId);
      if (unit === undefined) continue;
      this.requests.push(request);
      const reply = answerRequest(
        unit,
        request,
        Date.now(),
        this.options.valueOf,
        this.faults.get(request.unitId),
      );
      if (reply !== undefined && this.port?.isOpen) this.port.write(reply);
    }
  }
}
