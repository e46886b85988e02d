import {
  encodePoint,
  METADATA,
  type MetadataSubject,
  optionalFloat,
  optionalStr,
  type RecordPoint,
  recordPoint,
} from '../../influx/index.js';
import type { GatewayAddress, Metadata, MetaMessage } from '../../protocol/index.js';

/**
 * The fields of one subject's metadata, in the order they are written; absent parts are absent
 * fields, never empty strings.
 */
function metadataFields(meta: Metadata): RecordPoint<typeof METADATA>['fields'] {
  const { position, calibration } = meta;
  const coefficients = calibration?.coefficients;
  return {
    listed: { bool: true },
    latitude: optionalFloat(position?.latitude),
    longitude: optionalFloat(position?.longitude),
    elevation: optionalFloat(position?.elevation),
    make: optionalStr(meta.make),
    model: optionalStr(meta.model),
    serial: optionalStr(meta.serial),
    installed: optionalStr(meta.installed),
    description: optionalStr(meta.description),
    calibrationDate: optionalStr(calibration?.date),
    calibrationCoefficients: optionalStr(
      coefficients === undefined ? undefined : JSON.stringify(coefficients),
    ),
    calibrationBy: optionalStr(calibration?.by),
    calibrationNote: optionalStr(calibration?.note),
  };
}

function line(
  address: GatewayAddress,
  subject: MetadataSubject,
  meta: Metadata,
  time: number,
  sensor?: string,
): string {
  return encodePoint(
    recordPoint(METADATA, {
      tags: { station: address.station, gateway: address.gateway, subject, sensor },
      fields: metadataFields(meta),
      timestamp: time,
    }),
  );
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
