import type { Logger } from 'pino';
import {
  type AlertActionKind,
  type AlertTopic,
  decodeKind,
  type GatewayAddress,
  type GatewayKind,
  MESSAGE_KINDS,
  parseAlertActionTopic,
  parseAlertTopic,
  parseGatewayTopic,
} from '../../protocol/index.js';
import type { LiveStore } from './live-store.js';

type GatewayHandler = (store: LiveStore, address: GatewayAddress, payload: Buffer, logger: Logger) => void;

function refuse(logger: Logger, topic: string, code: string, reason: string): void {
  logger.warn({ topic, code, reason }, 'ignored an invalid live message');
}

const handleStatus: GatewayHandler = (store, address, payload, logger) => {
  if (payload.byteLength === 0) {
    store.forgetGateway(address);
    return;
  }
  const decoded = decodeKind('status', payload);
  if (decoded.ok) store.applyStatus(address, decoded.value);
  else refuse(logger, MESSAGE_KINDS.status.topic(address), decoded.code, decoded.reason);
};

const handleHealth: GatewayHandler = (store, address, payload, logger) => {
  const decoded = decodeKind('health', payload);
  if (decoded.ok) store.applyHealth(address, decoded.value);
  else refuse(logger, MESSAGE_KINDS.health.topic(address), decoded.code, decoded.reason);
};

/** Readings and metadata are the ingest's business; the API reads them (and their history) from InfluxDB. */
const GATEWAY_HANDLERS: Readonly<Record<GatewayKind, GatewayHandler | undefined>> = {
  status: handleStatus,
  health: handleHealth,
  readings: undefined,
  meta: undefined,
};

function handleAlert(store: LiveStore, topic: string, payload: Buffer, logger: Logger): boolean {
  const address = parseAlertTopic(topic);
  if (address === undefined) return false;
  if (payload.byteLength === 0) {
    store.forgetAlert(address);
    return true;
  }
  const decoded = decodeKind('alert', payload);
  if (!decoded.ok) {
    refuse(logger, topic, decoded.code, decoded.reason);
  } else if (decoded.value.station !== address.station || decoded.value.rule !== address.rule) {
    refuse(logger, topic, 'PAYLOAD_INVALID', 'station or rule in the payload differs from the topic');
  } else {
    store.applyAlert(decoded.value);
  }
  return true;
}

type ActionHandler = (store: LiveStore, address: AlertTopic, payload: Buffer, refuse: Refuse) => void;
type Refuse = (code: string, reason: string) => void;

function matchesTopic(payload: AlertTopic, address: AlertTopic, refuse: Refuse): boolean {
  if (payload.station === address.station && payload.rule === address.rule) return true;
  refuse('PAYLOAD_INVALID', 'station or rule in the payload differs from the topic');
  return false;
}

const handleAck: ActionHandler = (store, address, payload, refuse) => {
  if (payload.byteLength === 0) {
    store.forgetAck(address);
    return;
  }
  const decoded = decodeKind('ack', payload);
  if (!decoded.ok) refuse(decoded.code, decoded.reason);
  else if (matchesTopic(decoded.value, address, refuse)) store.applyAck(decoded.value);
};

const handleSilence: ActionHandler = (store, address, payload, refuse) => {
  if (payload.byteLength === 0) {
    store.forgetSilence(address);
    return;
  }
  const decoded = decodeKind('silence', payload);
  if (!decoded.ok) refuse(decoded.code, decoded.reason);
  else if (matchesTopic(decoded.value, address, refuse)) store.applySilence(decoded.value);
};

/** Deliveries are the notifier's record for the history, which the API reads from InfluxDB. */
const ACTION_HANDLERS: Readonly<Record<AlertActionKind, ActionHandler | undefined>> = {
  ack: handleAck,
  silence: handleSilence,
  delivery: undefined,
};

function handleAlertAction(store: LiveStore, topic: string, payload: Buffer, logger: Logger): boolean {
  const parsed = parseAlertActionTopic(topic);
  if (parsed === undefined) return false;
  const address = { station: parsed.station, rule: parsed.rule };
  ACTION_HANDLERS[parsed.kind]?.(store, address, payload, (code, reason) =>
    refuse(logger, topic, code, reason),
  );
  return true;
}

/** Applies one MQTT message to the live state; anything invalid is logged and ignored. */
export function applyLiveMessage(store: LiveStore, topic: string, payload: Buffer, logger: Logger): void {
  if (handleAlert(store, topic, payload, logger)) return;
  if (handleAlertAction(store, topic, payload, logger)) return;
  const address = parseGatewayTopic(topic);
  if (address === undefined) refuse(logger, topic, 'TOPIC_INVALID', 'not a topic of the contract');
  else GATEWAY_HANDLERS[address.kind]?.(store, address, payload, logger);
}
