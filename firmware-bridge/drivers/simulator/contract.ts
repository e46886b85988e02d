// The simulator driver's public contract: the signals emulated instruments measure.
export type { SimulatorDriverConfig } from './config.js';
export { simulatedValue } from './simulator-driver.js';
