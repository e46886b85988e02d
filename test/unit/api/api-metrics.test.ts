import { describe, expect, it } from 'vitest';
import { LiveStore } from '../../../api/live/live-store.js';
import { apiMetricsSource } from '../../../api/metrics/api-metrics.js';
import type { MetricFamily } from '../../../metrics/metric-family.js';
import type { AlertEvent } from '../../../protocol/index.js';

const T0 = Date.UTC(2026, 0, 5, 8);
const ALERT: AlertEvent = {
  v: 1,
  station: 'jinfo',
  rule: 'co2-high',
  kind: 'threshold',
  state: 'firing',
  severity: 'critical',
  message: 'CO2 above 5000 ppm',
  gateway: 'pi-1',
  sensor: 'co2-1',
  quantity: 'co2',
  unit: '[ppm]',
  value: 5200,
  op: 'above',
  threshold: 5000,
  time: T0,
  since: T0,
};

function family(families: readonly MetricFamily[], name: string): MetricFamily | undefined {
  return families.find((f) => f.name === name);
}

describe('apiMetricsSource', () => {
  it('counts gateways by station and state, zeros included, and firing alerts', async () => {
    const live = new LiveStore(() => T0);
    live.applyStatus({ station: 'jinfo', gateway: 'pi-1' }, { v: 1, state: 'online', time: T0 });
    live.applyStatus({ station: 'jinfo', gateway: 'pi-2' }, { v: 1, state: 'online', time: T0 });
    live.applyStatus({ station: 'xuefeng', gateway: 'pi-1' }, { v: 1, state: 'offline', time: T0 });
    live.applyAlert(ALERT);
    live.applyAlert({ ...ALERT, rule: 'co2-low', state: 'clear' });
    const families = await apiMetricsSource({ live, sseClients: () => 2 }).collect();

    expect(family(families, 'fieldstation_api_gateways')).toMatchObject({ type: 'gauge' });
    expect(family(families, 'fieldstation_api_gateways')?.samples).toEqual([
      { labels: { station: 'jinfo', state: 'online' }, value: 2 },
      { labels: { station: 'jinfo', state: 'offline' }, value: 0 },
      { labels: { station: 'jinfo', state: 'unknown' }, value: 0 },
      { labels: { station: 'xuefeng', state: 'online' }, value: 0 },
      { labels: { station: 'xuefeng', state: 'offline' }, value: 1 },
      { labels: { station: 'xuefeng', state: 'unknown' }, value: 0 },
    ]);
    expect(family(families, 'fieldstation_api_alerts_firing')?.samples).toEqual([{ value: 1 }]);
    expect(family(families, 'fieldstation_api_alert_stream_clients')?.samples).toEqual([{ value: 2 }]);
    expect(family(families, 'fieldstation_api_mqtt_connected')?.samples).toEqual([{ value: 0 }]);
  });

  it('reads the live view at every collect', async () => {
    const live = new LiveStore(() => T0);
    const source = apiMetricsSource({ live, sseClients: () => 0 });
    expect(family(await source.collect(), 'fieldstation_api_gateways')?.samples).toEqual([]);
    live.setConnected(true);
    live.applyAlert(ALERT);
    expect(family(await source.collect(), 'fieldstation_api_mqtt_connected')?.samples).toEqual([
      { value: 1 },
    ]);
    expect(family(await source.collect(), 'fieldstation_api_alerts_firing')?.samples).toEqual([{ value: 1 }]);
  });
});
