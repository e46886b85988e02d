import type {
  ModbusDataType,
  ReadFunction,
  WordOrder,
} from '../../firmware-bridge/drivers/modbus-rtu/contract.js';
import { encodeRegisters, registerCount } from '../../firmware-bridge/drivers/modbus-rtu/contract.js';

/** One value a slave exposes: the channel it takes from valueOf(), where and how it is stored. */
export interface EmulatedRegister {
  function: ReadFunction;
  address: number;
  dataType: ModbusDataType;
  /** For 32-bit types; default big. */
  wordOrder?: WordOrder;
  channel: string;
}

export interface EmulatedUnit {
  unitId: number;
  registers: readonly EmulatedRegister[];
}

export type ValueOf = (channel: string, timeMs: number) => number;

/** The register words a unit holds for `fn` at `timeMs`, by address; addresses absent here are unmapped. */
export function registerWords(
  unit: EmulatedUnit,
  fn: number,
  timeMs: number,
  values: ValueOf,
): Map<number, number> {
  const words = new Map<number, number>();
  for (const register of unit.registers) {
    if (register.function !== fn) continue;
    const encoded = encodeRegisters(values(register.channel, timeMs), register.dataType, register.wordOrder);
    encoded.forEach((word, index) => {
      words.set(register.address + index, word);
    });
  }
  return words;
}

/** Refuses a map a real device could not have: two values sharing a register, or one past 65535. */
export function checkRegisterMap(unit: EmulatedUnit): void {
  const taken = new Map<string, string>();
  for (const register of unit.registers) {
    for (let offset = 0; offset < registerCount(register.dataType); offset += 1) {
      const address = register.address + offset;
      if (address > 0xffff)
        throw new RangeError(`unit ${unit.unitId}: ${register.channel} runs past register 65535`);
      const key = `${register.function}:${address}`;
      const other = taken.get(key);
      if (other !== undefined) {
        throw new RangeError(
          `unit ${unit.unitId}: ${register.channel} and ${other} share register ${address}`,
        );
      }
      taken.set(key, register.channel);
    }
  }
}
