import { encodePoint, type FieldValue, METADATA, type MetadataSubject } from '../../influx/index.js';
import type { GatewayAddress, Metadata, MetaMessage } from '../../protocol/index.js';

const F = METADATA.fields;

/** The fields of one subject's metadata; absent parts are absent fields, never empty strings. */
export function metadataFields(meta: Metadata): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = { [F.listed]: { bool: true } };
  const text = (key: string, value: string | undefined) => {
    if (value !== undefined) fields[key] = { str: value };
  };
  if (meta.position !== undefined) {
    fields[F.latitude] = { float: meta.position.latitude };
    fields[F.longitude] = { float: meta.position.longitude };
    if (meta.position.elevation !== undefined) fields[F.elevation] = { float: meta.position.elevation };
  }
  text(F.make, meta.make);
  text(F.model, meta.model);
  text(F.serial, meta.serial);
  text(F.installed, meta.installed);
  text(F.description, meta.description);
  const calibration = meta.calibration;
  if (calibration !== undefined) {
    text(F.calibrationDate, calibration.date);
    if (calibration.coefficients !== undefined)
      text(F.calibrationCoefficients, JSON.stringify(calibration.coefficients));
    text(F.calibrationBy, calibration.by);
    text(F.calibrationNote, calibration.note);
  }
  return fields;
}

function line(
  address: GatewayAddress,
  subject: MetadataSubject,
  meta: Metadata,
  time: number,
  sensor?: string,
): string {
  return encodePoint({
    measurement: METADATA.name,
    tags: {
      [METADATA.tags.station]: address.station,
      [METADATA.tags.gateway]: address.gateway,
      [METADATA.tags.subject]: subject,
      ...(sensor ? { [METADATA.tags.sensor]: sensor } : {}),
    },
    fields: metadataFields(meta),
    timestamp: time,
  });
}

/**
 * A `meta` message as one `metadata` point per subject (station, gateway, each sensor), all at the
 * message's time (ms). The points depend only on the message, so the retained message delivered
 * again at every ingest start lands on itself. Written with precision `ms`.
 */
export function metaLines(address: GatewayAddress, message: MetaMessage): string[] {
  return [
    ...(message.station ? [line(address, 'station', message.station, message.time)] : []),
    ...(message.gateway ? [line(address, 'gateway', message.gateway, message.time)] : []),
    ...message.sensors.map(({ sensor, ...meta }) => line(address, 'sensor', meta, message.time, sensor)),
  ];
}
