import type { RestartStats } from '../influx/index.js';
import type { IngestStats } from '../ingest/index.js';
import type { MetricFamily, MetricSource } from '../metrics/index.js';
import type { NotifyStats } from '../notify/index.js';

type Kind = MetricFamily['type'];

function single(name: string, type: Kind, help: string, value: number): MetricFamily {
  return { name, help, type, samples: [{ value }] };
}

function ingestCounters(s: IngestStats): MetricFamily[] {
  const counter = (name: string, help: string, value: number) =>
    single(`fieldstation_ingest_${name}_total`, 'counter', help, value);
  return [
    counter('messages', 'MQTT messages received: readings, status, health and meta', s.messages),
    counter('health_accepted', 'Gateway health messages taken into the spool', s.healthAccepted),
    counter('status_accepted', 'Valid gateway status messages received', s.statusAccepted),
    counter('meta_accepted', 'Gateway metadata messages taken into the spool', s.metaAccepted),
    counter(
      'alert_actions_accepted',
      'Alert acks, silences, lifts and delivery records taken into the spool for the alert history',
      s.alertActionsAccepted,
    ),
    counter(
      'readings_accepted',
      'Readings taken into the spool, on their way to InfluxDB',
      s.readingsAccepted,
    ),
    counter(
      'redelivered',
      'Readings messages whose seq was seen before: stored again idempotently, alerts not evaluated again',
      s.redelivered,
    ),
    counter(
      'not_ours',
      "Messages of gateways outside this ingest's partition, acknowledged untouched",
      s.notOurs,
    ),
    counter(
      'reading_conflicts',
      'Readings replaced by a later reading of the same point in the same batch: received, not stored',
      s.readingConflicts,
    ),
    {
      name: 'fieldstation_ingest_quarantined_total',
      help: 'Quarantine records stored, by refusal code',
      type: 'counter',
      samples: Object.entries(s.quarantined).map(([code, value]) => ({
        labels: { code },
        value: value ?? 0,
      })),
    },
    counter('alerts_fired', 'Alert rules that went from clear to firing', s.alertsFired),
    counter(
      'consumer_stalls',
      'Times the watchdog found the consumer stalled on one message and restarted it',
      s.consumerStalls,
    ),
    counter(
      'messages_lost',
      'Messages acknowledged without being stored: their quarantine record was refused',
      s.lost,
    ),
  ];
}

type SequenceField = 'messages' | 'gaps' | 'duplicates' | 'late' | 'restarts' | 'conflicts';

const SEQUENCE_FAMILIES: readonly { field: SequenceField; name: string; type: Kind; help: string }[] = [
  {
    field: 'messages',
    name: 'gateway_messages_total',
    type: 'counter',
    help: 'Readings messages per gateway',
  },
  {
    field: 'gaps',
    name: 'sequence_gaps',
    type: 'gauge',
    help: 'Seq numbers skipped and not received since: messages missing from the gateway',
  },
  {
    field: 'duplicates',
    name: 'sequence_duplicates_total',
    type: 'counter',
    help: 'Messages whose seq had been seen already (stored again, idempotently)',
  },
  {
    field: 'late',
    name: 'sequence_late_total',
    type: 'counter',
    help: 'Messages that arrived late and filled a gap',
  },
  {
    field: 'restarts',
    name: 'sequence_restarts_total',
    type: 'counter',
    help: 'Times the seq fell back, as when a gateway starts over with an empty outbox',
  },
  {
    field: 'conflicts',
    name: 'gateway_reading_conflicts_total',
    type: 'counter',
    help: 'Readings replaced by a later reading of the same point in the same batch',
  },
];

function spoolFamilies(spool: NonNullable<IngestStats['spool']>): MetricFamily[] {
  const counter = (name: string, help: string, value: number) =>
    single(`fieldstation_ingest_${name}_total`, 'counter', help, value);
  const gauge = (name: string, help: string, value: number) =>
    single(`fieldstation_ingest_${name}`, 'gauge', help, value);
  return [
    counter(
      'points_written',
      'Points InfluxDB confirmed from the spool: readings, health, quarantine, sequence',
      spool.pointsWritten,
    ),
    counter('write_requests', 'Write requests sent to InfluxDB', spool.requests),
    counter(
      'write_retries',
      'Write requests retried after a failure that could succeed later',
      spool.retries,
    ),
    counter(
      'points_rejected',
      'Spooled points InfluxDB refused for their content, each quarantined',
      spool.rejectedLines,
    ),
    counter(
      'spool_waits',
      'Times a message waited for room in the spool (full, or the disk refused)',
      spool.appendWaits,
    ),
    counter('points_lost', 'Refused points whose quarantine record could not be spooled either', spool.lost),
    gauge(
      'spool_pending_bytes',
      'Bytes in the spool that InfluxDB has not confirmed yet: the backlog',
      spool.pendingBytes,
    ),
    gauge('spool_used_bytes', 'Bytes of spool segment files on disk', spool.usedBytes),
    gauge(
      'spool_backlog_age_seconds',
      'Age of the oldest point InfluxDB has not confirmed yet; 0 with none',
      spool.backlogAgeS,
    ),
    gauge('spool_full', '1 while the spool is full and the ingest acknowledges nothing', spool.full ? 1 : 0),
    gauge('writes_in_flight', 'Write requests to InfluxDB under way', spool.inFlight),
  ];
}

/** The ingest's counters and per-gateway sequence bookkeeping (labels station, gateway) as Prometheus families. */
export function ingestMetricsSource(ingest: { stats(): IngestStats }): MetricSource {
  return {
    collect() {
      const s = ingest.stats();
      const perGateway = SEQUENCE_FAMILIES.map(({ field, name, type, help }) => ({
        name: `fieldstation_ingest_${name}`,
        help,
        type,
        samples: s.sequences.map((seq) => ({
          labels: { station: seq.station, gateway: seq.gateway },
          value: seq[field],
        })),
      }));
      return [...ingestCounters(s), ...(s.spool === undefined ? [] : spoolFamilies(s.spool)), ...perGateway];
    },
  };
}

/** The restarts of the private influxd of `fieldstation up`. */
export function influxdMetricsSource(supervisor: { stats(): RestartStats }): MetricSource {
  return {
    collect() {
      const s = supervisor.stats();
      return [
        single(
          'fieldstation_up_influxd_restarts_total',
          'counter',
          'Times the private influxd was brought back after it exited unexpectedly',
          s.restarts,
        ),
        single(
          'fieldstation_up_influxd_restart_failures_total',
          'counter',
          'Attempts to restart the private influxd that failed',
          s.failedRestarts,
        ),
      ];
    },
  };
}

/** The notifier's deliveries per channel and outcome, what it planned, and what waits to be sent. */
export function notifyMetricsSource(notify: { stats(): NotifyStats }): MetricSource {
  return {
    collect() {
      const s = notify.stats();
      const deliveries = Object.entries(s.deliveries).flatMap(([channel, outcomes]) =>
        Object.entries(outcomes).map(([outcome, value]) => ({ labels: { channel, outcome }, value })),
      );
      return [
        {
          name: 'fieldstation_notify_deliveries_total',
          help: 'Notification delivery attempts by channel and outcome (sent, retrying, failed)',
          type: 'counter',
          samples: deliveries,
        },
        {
          name: 'fieldstation_notify_planned_total',
          help: 'Notifications planned, by reason (firing, clear, repeat, escalation)',
          type: 'counter',
          samples: Object.entries(s.planned).map(([reason, value]) => ({ labels: { reason }, value })),
        },
        single(
          'fieldstation_notify_pending',
          'gauge',
          'Notifications planned and not attempted yet',
          s.pending,
        ),
        single(
          'fieldstation_notify_retrying',
          'gauge',
          'Notifications waiting for their next attempt',
          s.retrying,
        ),
        single('fieldstation_notify_sending', 'gauge', 'Delivery attempts under way', s.sending),
        single(
          'fieldstation_notify_invalid_messages_total',
          'counter',
          'Alert messages ignored because they did not match the contract',
          s.invalidMessages,
        ),
        single(
          'fieldstation_notify_journal_failures_total',
          'counter',
          'Alert messages whose notifications could not be written to the journal (left for redelivery)',
          s.journalFailures,
        ),
        single(
          'fieldstation_notify_subscriber_reloads_total',
          'counter',
          'Times a changed subscribers file was taken into force',
          s.subscriberReloads,
        ),
        single(
          'fieldstation_notify_subscriber_reloads_rejected_total',
          'counter',
          'Times a changed subscribers file was invalid and the previous one stayed in force',
          s.subscriberReloadsRejected,
        ),
      ];
    },
  };
}
