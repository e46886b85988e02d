import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadAlertRules } from '../../../../ingest/alerts/load-rules.js';
import { unknownTargets } from '../../../../ingest/alerts/unknown-targets.js';
import type { SensorDescription } from '../../../../protocol/index.js';

const CONFIG = join(import.meta.dirname, '../../../../config');

// Only what the check needs from a gateway config; the bridge's own schema validates the rest.
const GatewaySensorsSchema = z.object({
  station: z.string(),
  gateway: z.string(),
  sensors: z.array(z.object({ id: z.string(), quantity: z.string(), unit: z.string() })),
});

async function announced(file: string) {
  const config = GatewaySensorsSchema.parse(parse(await readFile(join(CONFIG, file), 'utf8')));
  const sensors: SensorDescription[] = config.sensors.map(({ id, quantity, unit }) => ({
    sensor: id,
    quantity,
    unit,
  }));
  return { station: config.station, gateway: config.gateway, sensors };
}

describe('the bundled config/alerts.yaml', () => {
  for (const files of [
    ['jinfo-cave-gw.yaml', 'xuefeng-line-gw.yaml'],
    ['simulate/jinfo.yaml', 'simulate/xuefeng.yaml'],
  ]) {
    it(`names only sensors, quantities and units of ${files.join(' and ')}`, async () => {
      const rules = await loadAlertRules(join(CONFIG, 'alerts.yaml'));
      const gateways = await Promise.all(files.map(announced));
      for (const { station, gateway, sensors } of gateways) {
        expect(unknownTargets(rules, station, new Map([[gateway, sensors]]))).toEqual([]);
        // Units too: a rule in the wrong unit would never match a reading.
        for (const rule of rules.filter((r) => r.station === station)) {
          const targets =
            rule.kind === 'composite' ? rule.all : rule.kind === 'gateway-offline' ? [] : [rule];
          for (const target of targets) {
            const unit = 'unit' in target ? target.unit : undefined;
            if (unit === undefined) continue;
            const matching = sensors.filter((s) =>
              target.sensor !== undefined ? s.sensor === target.sensor : s.quantity === target.quantity,
            );
            expect(
              matching.map((s) => s.unit),
              `${rule.id}`,
            ).toContain(unit);
          }
        }
      }
    });
  }
});
