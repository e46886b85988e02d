import { describe, expect, it } from 'vitest';
import { historyReadings } from '../../../../firmware-bridge/backfill/history-readings.js';
import { historySamples } from '../../../../firmware-bridge/backfill/sample-schedule.js';
import { chooseShift, shiftWeather } from '../../../../firmware-bridge/backfill/showcase-shift.js';
import { loadGatewayConfig } from '../../../../firmware-bridge/config/load.js';
import { AlertEngine } from '../../../../ingest/alerts/alert-engine.js';
import { loadAlertRules } from '../../../../ingest/alerts/load-rules.js';
import type { Reading } from '../../../../protocol/index.js';

const DAY = 86_400_000;

// The week the demo backfills, evaluated by the ingest's own alert engine on the bundled rules: the
// episodes the weather shift looks for must give the alert history the demo promises.
describe.each([
  [
    'config/simulate/xuefeng.yaml',
    ['conductor-load-1', 'conductor-load-2', 'ice-thickness-1', 'ice-thickness-2'],
    'conductor-icing',
  ],
  ['config/simulate/jinfo.yaml', ['spring-stage-1'], 'spring-stage-rising'],
])('%s', (file, sensorIds, rule) => {
  it.each([Date.UTC(2026, 11, 4, 21, 44), Date.UTC(2027, 0, 19, 6, 3), Date.UTC(2027, 2, 2, 12, 0)])(
    `a backfilled week ending %d fires and clears ${rule}`,
    async (toMs) => {
      const config = await loadGatewayConfig(file);
      const window = { fromMs: toMs - 7 * DAY, toMs };
      const { shiftDays } = chooseShift(config.sensors, window);
      const sensors = shiftWeather(config.sensors, shiftDays).filter((s) => sensorIds.includes(s.id));
      const engine = new AlertEngine(await loadAlertRules('config/alerts.yaml'));
      const address = { station: config.station, gateway: config.gateway };
      const states: string[] = [];
      let batch: Reading[] = [];
      const evaluate = () => {
        for (const t of engine.evaluate(address, batch)) if (t.rule.id === rule) states.push(t.state);
        batch = [];
      };
      for (const reading of historyReadings(sensors, historySamples(sensors, window))) {
        batch.push(reading);
        if (batch.length === 2000) evaluate();
      }
      evaluate();
      expect(states.slice(0, 2)).toEqual(['firing', 'clear']);
      expect(states.at(-1)).toBe('clear');
    },
  );
});
