// The gateway's public surface, for the CLI (`fieldstation gateway`, `simulate`, `up --simulate`).
export type { BackoffOptions } from './backoff.js';
export type { Clock } from './clock.js';
export { loadGatewayConfig, parseGatewayConfig, readMqttPassword } from './config/load.js';
export { type GatewayConfig, GatewayConfigSchema, type SensorConfig } from './config/schema.js';
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
export {
  createSimulatedGateways,
  type MqttCredentials,
  type SimulateOptions,
  type Simulation,
  simulatorConfigs,
  startSimulation,
} from './simulate.js';
