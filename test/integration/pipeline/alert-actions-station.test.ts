import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { provisionAccount } from '../../../broker/index.js';
import {
  type AlertDelivery,
  type AlertEvent,
  alertActionTopic,
  alertTopic,
  DELIVERY,
} from '../../../protocol/index.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { type RunningStationParts, startStationParts } from '../../harness/station.js';

// The write routes through the station's own broker, with its accounts and rights: the API publishes
// as svc.api, the ingest keeps the actions as svc.ingest, the notifier reports as a service account.

const RULE = { station: 'jinfo', rule: 'cave-co2-high' };
const WAIT = { timeout: 15_000 };
const SINCE = Date.now() - 60_000;

let influx: TestInflux;
let station: RunningStationParts;
let notifier: MqttClient;

beforeAll(async () => {
  influx = await startTestInflux('fs_pipeline_alert_actions');
  station = await startStationParts({ influx: influx.config });
  const account = await provisionAccount(station.credentialsFile, { kind: 'service', name: 'notify' });
  await station.broker.reloadCredentials();
  notifier = await station.connect(account, 'fs-notify-e2e');
}, 60_000);

afterAll(async () => {
  await station?.stop();
  await influx?.stop();
});

async function send(method: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await station.api.fetch(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe('alert actions on a station with accounts', () => {
  it('acks over HTTP as svc.api, and the ingest stores the ack and the notifier’s delivery', async () => {
    const firing: AlertEvent = {
      v: 1,
      ...RULE,
      kind: 'threshold',
      state: 'firing',
      severity: 'warning',
      message: 'cave CO2 high',
      time: SINCE,
      since: SINCE,
    };
    await notifier.publishAsync(alertTopic(RULE), JSON.stringify(firing), DELIVERY.alert);
    await vi.waitFor(async () => {
      const { alerts } = await station.api.json<{ alerts: { rule: string }[] }>('/v1/alerts');
      expect(alerts.map((alert) => alert.rule)).toEqual([RULE.rule]);
    }, WAIT);

    const ack = await send('POST', '/v1/alerts/jinfo/cave-co2-high/ack', { by: 'ana' });
    expect(ack).toMatchObject({ status: 200, json: { by: 'ana', since: new Date(SINCE).toISOString() } });

    const delivery: AlertDelivery = {
      v: 1,
      ...RULE,
      id: 'n-7',
      channel: 'webhook',
      subscriber: 'ops',
      reason: 'firing',
      outcome: 'failed',
      attempt: 3,
      error: 'HTTP 502',
      since: SINCE,
      time: Date.now(),
    };
    await notifier.publishAsync(
      alertActionTopic(RULE, 'delivery'),
      JSON.stringify(delivery),
      DELIVERY.delivery,
    );

    await vi.waitFor(async () => {
      const { entries } = await station.api.json<{ entries: { type: string }[] }>('/v1/alerts/history', {
        station: 'jinfo',
      });
      expect(entries.map((entry) => entry.type).sort()).toEqual(['ack', 'delivery']);
    }, WAIT);
    expect(station.ingest.stats().alertActionsAccepted).toBe(2);
    expect(station.ingest.stats().quarantined).toEqual({});
  });
});
