import {
  encodePoint,
  GATEWAY_HEALTH,
  optionalFloat,
  optionalStr,
  recordPoint,
  SENSOR_HEALTH,
} from '../../influx/index.js';
import type { GatewayAddress, Health, SensorHealth } from '../../protocol/index.js';

function gatewayHealthLine(address: GatewayAddress, health: Health): string {
  const { clock } = health;
  return encodePoint(
    recordPoint(GATEWAY_HEALTH, {
      tags: { station: address.station, gateway: address.gateway },
      fields: {
        uptimeS: { float: health.uptimeS },
        outboxPendingMessages: { int: health.outbox.pendingMessages },
        outboxDiskBytes: { int: health.outbox.diskBytes },
        outboxDroppedMessages: { int: health.outbox.droppedMessages },
        outboxDroppedReadings: { int: health.outbox.droppedReadings },
        publishedMessages: { int: health.published.messages },
        publishedReadings: { int: health.published.readings },
        clockState: optionalStr(clock?.state),
        clockSource: optionalStr(clock?.source),
        clockOffsetMs: optionalFloat(clock?.offsetMs),
      },
      timestamp: health.time,
    }),
  );
}

function sensorHealthLine(address: GatewayAddress, time: number, sensor: SensorHealth): string {
  return encodePoint(
    recordPoint(SENSOR_HEALTH, {
      tags: { station: address.station, gateway: address.gateway, sensor: sensor.sensor },
      fields: {
        samples: { int: sensor.samples },
        errors: { int: sensor.errors },
        lastError: optionalStr(sensor.lastError),
      },
      timestamp: time,
    }),
  );
}

/**
 * A `health` message as one `gateway_health` point and one `sensor_health` point per sensor, all at
 * the message's own time (ms). Like readings, the points depend only on the message, so a replayed
 * message overwrites itself. Written with precision `ms`.
 */
export function healthLines(address: GatewayAddress, health: Health): string[] {
  return [
    gatewayHealthLine(address, health),
    ...health.sensors.map((sensor) => sensorHealthLine(address, health.time, sensor)),
  ];
}
