// The gateway's public surface, for the CLI (`fieldstation gateway`, `simulate`, `up --simulate`) and
// the device emulators.

export type { BackfillMarker } from './backfill/backfill-marker.js';
export type { GatewayHistory, HistoryOptions } from './backfill/simulated-history.js';
export { type CheckReport, checkGateway, type GatewayCheckOptions } from './check/gateway-check.js';
export type { SensorCheck } from './check/sensor-tally.js';
export type { Clock } from './clock.js';
export {
  loadGatewayConfig,
  parseGatewayConfig,
  readConfigDocument,
  readMqttPassword,
} from './config/load.js';
export {
  type GatewayConfig,
  GatewayConfigSchema,
  type PortOf,
  type SensorConfig,
  type SensorOf,
  type SerialPortConfig,
} from './config/schema.js';
export {
  createDrivers,
  type DriverDeps,
  type DriverSink,
  type RawSample,
  type SensorDriver,
} from './drivers/index.js';
export { simulatedValue } from './drivers/simulator/simulator-driver.js';
export { ConfigError, GatewayError, type GatewayErrorCode, SensorError } from './errors.js';
export { Gateway, type GatewayOptions } from './gateway.js';
export { listPorts } from './ports/list-ports.js';
export type { PortInfo } from './ports/port-info.js';
export { gatewayUnitName, renderGatewayUnit } from './service/systemd-unit.js';
export {
  createSimulatedGateways,
  type MqttCredentials,
  type SimulatedGateway,
  type SimulateOptions,
  type Simulation,
  simulatorConfigs,
  startSimulation,
} from './simulate.js';
