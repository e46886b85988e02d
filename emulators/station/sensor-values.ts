import type { SimulatorDriverConfig } from '../../firmware-bridge/drivers/simulator/contract.js';
import { simulatedValue } from '../../firmware-bridge/drivers/simulator/contract.js';
import type { GatewayConfig, SensorConfig } from '../../firmware-bridge/index.js';
import type { RawValueOf } from '../device-emulation.js';

/**
 * Values for the emulated instruments of a gateway: each sensor measures what `measured` says for it,
 * else follows the simulated signal given for its id (the simulated station's config), else holds
 * the middle of its range. The gateway
 * applies its calibration to what it reads, so the instrument sends the calibration's inverse, and
 * the gateway's readings come out as the signal.
 */
export function rawValues(
  config: GatewayConfig,
  signals: ReadonlyMap<string, SimulatorDriverConfig>,
  measured: (sensorId: string, timeMs: number) => number | undefined = () => undefined,
): RawValueOf {
  const sensors = new Map(config.sensors.map((sensor) => [sensor.id, sensor]));
  return (sensorId, timeMs) => {
    const sensor = sensors.get(sensorId);
    if (sensor === undefined) return 0;
    const signal = signals.get(sensorId);
    const value =
      measured(sensorId, timeMs) ??
      (signal === undefined ? steadyValue(sensor) : simulatedValue(signal, timeMs));
    const { scale, offset } = sensor.calibration ?? { scale: 1, offset: 0 };
    return (value - offset) / scale;
  };
}

function steadyValue(sensor: SensorConfig): number {
  return sensor.range === undefined ? 0 : (sensor.range.min + sensor.range.max) / 2;
}
