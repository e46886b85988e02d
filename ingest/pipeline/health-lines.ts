import {
  encodePoint,
  type FieldValue,
  GATEWAY_HEALTH_MEASUREMENT,
  SENSOR_HEALTH_MEASUREMENT,
} from '../../influx/index.js';
import type { GatewayAddress, Health, SensorHealth } from '../../protocol/index.js';

function clockFields(clock: Health['clock']): Record<string, FieldValue> {
  if (clock === undefined) return {};
  const fields: Record<string, FieldValue> = { clock_state: { str: clock.state } };
  if (clock.source !== undefined) fields.clock_source = { str: clock.source };
  if (clock.offsetMs !== undefined) fields.clock_offset_ms = { float: clock.offsetMs };
  return fields;
}

function gatewayHealthLine(address: GatewayAddress, health: Health): string {
  return encodePoint({
    measurement: GATEWAY_HEALTH_MEASUREMENT,
    tags: { station: address.station, gateway: address.gateway },
    fields: {
      uptime_s: { float: health.uptimeS },
      outbox_pending_messages: { int: health.outbox.pendingMessages },
      outbox_disk_bytes: { int: health.outbox.diskBytes },
      outbox_dropped_messages: { int: health.outbox.droppedMessages },
      outbox_dropped_readings: { int: health.outbox.droppedReadings },
      published_messages: { int: health.published.messages },
      published_readings: { int: health.published.readings },
      ...clockFields(health.clock),
    },
    timestamp: health.time,
  });
}

function sensorHealthLine(address: GatewayAddress, time: number, sensor: SensorHealth): string {
  const fields: Record<string, FieldValue> = {
    samples: { int: sensor.samples },
    errors: { int: sensor.errors },
  };
  if (sensor.lastError !== undefined) fields.last_error = { str: sensor.lastError };
  return encodePoint({
    measurement: SENSOR_HEALTH_MEASUREMENT,
    tags: { station: address.station, gateway: address.gateway, sensor: sensor.sensor },
    fields,
    timestamp: time,
  });
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
