// The modbus-rtu driver's public contract: register types and the RTU frames a slave answers with.
export {
  type ModbusDataType,
  type ModbusRtuDriverConfig,
  type ReadFunction,
  registerCount,
  type WordOrder,
} from './config.js';
export { ILLEGAL_DATA_ADDRESS, SERVER_DEVICE_BUSY } from './modbus-exceptions.js';
export { encodeRegisters } from './register-codec.js';
export {
  decodeRequestFrame,
  exceptionReply,
  MAX_READ_REGISTERS,
  READ_REQUEST_BYTES,
  registersReply,
} from './rtu-frames.js';
