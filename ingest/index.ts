export { AlertEngine } from './alerts/alert-engine.js';
export { alertEventLine, renderAlertMessage, toAlertEvent } from './alerts/alert-event.js';
export {
  LAST_ALERT_EVENTS_QUERY,
  type LastAlertEvent,
  LastAlertEventSchema,
  lastAlertEvents,
  loadLastAlertEvents,
} from './alerts/alert-history.js';
export { AlertPublisher, type AlertPublisherOptions, type PublishMessage } from './alerts/alert-publisher.js';
export {
  type AlertRule,
  type AlertRuleInput,
  AlertRuleSchema,
  AlertRulesFileSchema,
  type RuleOf,
  TEMPLATE_PLACEHOLDERS,
} from './alerts/alert-rule.js';
export { AlertRuntime, type AlertRuntimeOptions } from './alerts/alert-runtime.js';
export { AlertStateFileError, readAlertState, writeAlertState } from './alerts/alert-state-file.js';
export { type AlertStateSnapshot, AlertStateSnapshotSchema } from './alerts/alert-state-snapshot.js';
export { DurationSchema, formatDuration } from './alerts/duration.js';
export {
  type AlertTransition,
  evaluateRule,
  INITIAL_RULE_STATE,
  matchesRule,
  type RuleEvaluation,
  type RuleState,
  type SourcedReading,
  sensorKey,
} from './alerts/evaluate-rule.js';
export { KINDS } from './alerts/kinds/index.js';
export type { KindEvaluator, StatusUpdate, TickContext } from './alerts/kinds/kind.js';
export { AlertRulesError, loadAlertRules, parseAlertRules } from './alerts/load-rules.js';
export { type SeededRuleStates, seedRuleStates } from './alerts/seed-rule-states.js';
export {
  type IngestConfig,
  type IngestConfigInput,
  IngestConfigSchema,
  type MqttConsumerConfig,
  MqttConsumerConfigSchema,
} from './config.js';
export {
  ConsumerError,
  type ConsumerHealth,
  type HandleMessage,
  MessageConsumer,
} from './consumer/message-consumer.js';
export { IngestService, type IngestServiceOptions, type IngestStats } from './ingest-service.js';
export {
  type DecodedMessage,
  decodeMessage,
  type GatewayMessage,
  type MessageBodies,
} from './pipeline/decode-message.js';
export { dispatchMessage, type MessageHandlers } from './pipeline/dispatch-message.js';
export { healthLines } from './pipeline/health-lines.js';
export {
  type IncomingMessage,
  type IngestCounters,
  MessageIngestor,
  type MessageIngestorOptions,
} from './pipeline/ingest-message.js';
export { readingLine, readingLines } from './pipeline/reading-lines.js';
export { quarantineLine } from './quarantine/quarantine-point.js';
export {
  buildQuarantineRecord,
  QUARANTINE_PAYLOAD_LIMIT_BYTES,
  type QuarantineCode,
  type QuarantineRecord,
  type RefusalCode,
} from './quarantine/quarantine-record.js';
export {
  SEQUENCE_WINDOW,
  type SequenceOutcome,
  type SequenceSnapshot,
  SequenceTracker,
} from './sequence/sequence-tracker.js';
export { type RetryPolicy, RetryPolicySchema } from './store/retry-policy.js';
export { StoreAbortedError, storeLines } from './store/store-batch.js';
