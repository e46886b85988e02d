export { ModbusRtuSlaveEmulator, type ModbusRtuSlaveEmulatorOptions } from './modbus-rtu-slave.js';
export type { EmulatedRegister, EmulatedUnit, ValueOf } from './register-map.js';
export type { ModbusSlaveFault } from './slave-answer.js';
