import type { Sdi12Command } from './config.js';

/** Command builders: every SDI-12 command is the address, the command letters and `!`. */
export const sdi12Commands = {
  acknowledge: (address: string): string => `${address}!`,
  addressQuery: (): string => '?!',
  identify: (address: string): string => `${address}I!`,
  /** Starts a measurement: `aM!`, `aMC!`, `aC!` or `aCC!`. */
  measure: (address: string, command: Sdi12Command): string => `${address}${command}!`,
  /** Asks for the next part of the measured values: `aD0!` .. `aD9!`. */
  sendData: (address: string, part: number): string => `${address}D${part}!`,
};

export function isConcurrent(command: Sdi12Command): boolean {
  return command === 'C' || command === 'CC';
}

export function usesCrc(command: Sdi12Command): boolean {
  return command === 'MC' || command === 'CC';
}
