import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gatewayTopic } from '../../../protocol/index.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { type RunningStation, startStation } from '../../harness/station.js';
import { type ParsedExposition, parseExposition } from '../api/prometheus-text.js';

// `fieldstation up` in-process: GET /metrics shows the broker's and the ingest's counters next to the
// API's gauges, and they move as a gateway publishes.

const STATION = 'jinfo';
const GATEWAY = 'metrics-1';
const TOPIC = gatewayTopic({ station: STATION, gateway: GATEWAY }, 'readings');
const GATEWAY_LABELS = { station: STATION, gateway: GATEWAY };

const FAMILIES = {
  fieldstation_broker_connections: 'gauge',
  fieldstation_broker_kept_sessions: 'gauge',
  fieldstation_broker_auth_failures_total: 'counter',
  fieldstation_broker_client_id_refused_total: 'counter',
  fieldstation_broker_publish_denied_total: 'counter',
  fieldstation_broker_subscribe_denied_total: 'counter',
  fieldstation_broker_oversized_packets_total: 'counter',
  fieldstation_broker_retain_cleared_total: 'counter',
  fieldstation_ingest_messages_total: 'counter',
  fieldstation_ingest_health_accepted_total: 'counter',
  fieldstation_ingest_status_accepted_total: 'counter',
  fieldstation_ingest_meta_accepted_total: 'counter',
  fieldstation_ingest_alert_actions_accepted_total: 'counter',
  fieldstation_ingest_readings_accepted_total: 'counter',
  fieldstation_ingest_points_written_total: 'counter',
  fieldstation_ingest_spool_pending_bytes: 'gauge',
  fieldstation_ingest_spool_backlog_age_seconds: 'gauge',
  fieldstation_ingest_spool_full: 'gauge',
  fieldstation_ingest_quarantined_total: 'counter',
  fieldstation_ingest_write_retries_total: 'counter',
  fieldstation_ingest_alerts_fired_total: 'counter',
  fieldstation_ingest_messages_lost_total: 'counter',
  fieldstation_ingest_gateway_messages_total: 'counter',
  fieldstation_ingest_sequence_gaps: 'gauge',
  fieldstation_ingest_sequence_duplicates_total: 'counter',
  fieldstation_ingest_sequence_late_total: 'counter',
  fieldstation_ingest_sequence_restarts_total: 'counter',
  fieldstation_api_gateways: 'gauge',
  fieldstation_api_alerts_firing: 'gauge',
  fieldstation_api_alert_stream_clients: 'gauge',
  fieldstation_api_mqtt_connected: 'gauge',
};

let influx: TestInflux;
let station: RunningStation;

beforeAll(async () => {
  influx = await startTestInflux('fs_pipeline_metrics');
  station = await startStation({ influx: influx.config, gateways: [{ station: STATION, gateway: GATEWAY }] });
});

afterAll(async () => {
  await station?.stop();
  await influx?.stop();
});

async function scrape(): Promise<ParsedExposition> {
  const response = await station.api.text('/metrics');
  expect(response.status).toBe(200);
  expect(response.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(response.body);
}

function batch(seq: number, values: readonly number[]): string {
  const time = Date.now() - 1000;
  const readings = values.map((value, i) => ({
    sensor: `co2-${i + 1}`,
    quantity: 'co2',
    unit: '[ppm]',
    value,
    time,
  }));
  return JSON.stringify({ v: 1, seq, readings });
}

describe('GET /metrics of the station server', () => {
  it('exposes every family of broker, ingest and API in the text format', async () => {
    const metrics = await scrape();
    expect(Object.fromEntries([...metrics.types].filter(([name]) => name in FAMILIES))).toEqual(FAMILIES);
    // The ingest's and the API's own MQTT sessions.
    expect(metrics.value('fieldstation_broker_connections')).toBeGreaterThanOrEqual(2);
    expect(metrics.value('fieldstation_ingest_readings_accepted_total')).toBe(0);
    expect(metrics.value('fieldstation_api_mqtt_connected')).toBe(1);
  });

  it('moves the ingest counters as a gateway publishes readings, with a gap in its seq', async () => {
    const account = station.accounts[`${STATION}.${GATEWAY}`];
    if (account === undefined) throw new Error('gateway account not provisioned');
    const client = await station.connect(account, 'metrics-gw');
    await client.publishAsync(TOPIC, batch(1, [410, 420]), { qos: 1 });
    await client.publishAsync(TOPIC, batch(4, [430]), { qos: 1 });
    await client.publishAsync(TOPIC, '{"v":1,"seq":', { qos: 1 });

    await vi.waitFor(
      async () => {
        const metrics = await scrape();
        expect(metrics.value('fieldstation_ingest_readings_accepted_total')).toBe(3);
        // Written: the three readings and the quarantine record (plus sequence points, written now and then).
        expect(metrics.value('fieldstation_ingest_points_written_total')).toBeGreaterThanOrEqual(4);
        expect(metrics.value('fieldstation_ingest_spool_pending_bytes')).toBe(0);
        expect(metrics.value('fieldstation_ingest_quarantined_total', { code: 'PAYLOAD_NOT_JSON' })).toBe(1);
      },
      { timeout: 5000, interval: 50 },
    );
    const metrics = await scrape();
    expect(metrics.value('fieldstation_ingest_messages_total')).toBe(3);
    expect(metrics.value('fieldstation_ingest_gateway_messages_total', GATEWAY_LABELS)).toBe(2);
    expect(metrics.value('fieldstation_ingest_sequence_gaps', GATEWAY_LABELS)).toBe(2);
    expect(metrics.value('fieldstation_ingest_sequence_duplicates_total', GATEWAY_LABELS)).toBe(0);
    expect(metrics.value('fieldstation_ingest_sequence_restarts_total', GATEWAY_LABELS)).toBe(0);
  });

  it('counts a refused login in the broker counters', async () => {
    const before = (await scrape()).value('fieldstation_broker_auth_failures_total') ?? Number.NaN;
    await expect(
      station.connect({ username: `${STATION}.${GATEWAY}`, password: 'not-the-secret' }, 'metrics-bad'),
    ).rejects.toThrow();
    expect((await scrape()).value('fieldstation_broker_auth_failures_total')).toBe(before + 1);
  });
});
