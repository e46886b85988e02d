import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../../firmware-bridge/config/load.js';
import { ConfigError } from '../../../firmware-bridge/errors.js';
import { buildMetaContent, metaHash, planMeta } from '../../../firmware-bridge/meta/build-meta.js';
import { prepareMeta } from '../../../firmware-bridge/meta/prepare-meta.js';

const FILE = '/etc/fieldstation/gateway.yaml';

function document(sensorMeta: unknown, top: unknown = undefined, calibration?: unknown) {
  return {
    station: 'jinfo',
    gateway: 'cave-gw-1',
    ...(top === undefined ? {} : { meta: top }),
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    outbox: { dir: 'outbox' },
    sensors: [
      {
        id: 'cave-co2-1',
        quantity: 'co2',
        unit: '[ppm]',
        intervalMs: 60000,
        ...(calibration === undefined ? {} : { calibration }),
        ...(sensorMeta === undefined ? {} : { meta: sensorMeta }),
        driver: { type: 'simulator', signal: { type: 'diurnal', mean: 800 } },
      },
    ],
  };
}

function configIssues(doc: unknown): string[] {
  try {
    parseGatewayConfig(doc, FILE);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.issues];
  }
}

describe('metadata in the gateway config', () => {
  it('accepts station, gateway and sensor metadata', () => {
    const config = parseGatewayConfig(
      document(
        {
          make: 'Vaisala',
          model: 'GMP252',
          serial: 'S1',
          installed: '2024-05-23',
          calibration: { date: '2025-11-03' },
        },
        {
          station: { position: { latitude: 29.02, longitude: 107.19, elevation: 1742 } },
          gateway: { make: 'Pi' },
        },
      ),
      FILE,
    );
    expect(config.sensors[0]?.meta?.model).toBe('GMP252');
    expect(config.meta?.station?.position?.elevation).toBe(1742);
  });

  it('refuses impossible positions, naming the file and the path', () => {
    const issues = configIssues(document({ position: { latitude: -95, longitude: 200 } }));
    expect(issues).toEqual([
      `${FILE}: sensors[0].meta.position.latitude: must be between -90 and 90`,
      `${FILE}: sensors[0].meta.position.longitude: must be between -180 and 180`,
    ]);
  });

  it('refuses an installation in the future and a calibration before 1900', () => {
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    expect(configIssues(document(undefined, { gateway: { installed: future } }))).toEqual([
      `${FILE}: meta.gateway.installed: ${future} is in the future`,
    ]);
    expect(configIssues(document({ calibration: { date: '1850-06-01' } }))).toEqual([
      `${FILE}: sensors[0].meta.calibration.date: must be between 1900-01-01 and 2100-01-01`,
    ]);
  });

  it('refuses misspelt keys, which would otherwise vanish from every data release', () => {
    const issues = configIssues(
      document({ serialNumber: 'S1', calibration: { date: '2025-01-01', who: 'me' } }),
    );
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(
      /^\/etc\/fieldstation\/gateway\.yaml: sensors\[0\]\.meta(\.calibration)?: Unrecognized key/,
    );
  });
});

describe('the meta message a config gives', () => {
  it('lists every sensor; a calibration record without coefficients gets the scale and offset applied', () => {
    const config = parseGatewayConfig(
      document({ calibration: { date: '2025-11-03', by: 'Wang Jun' } }, undefined, {
        scale: 1250,
        offset: -12.5,
      }),
      FILE,
    );
    expect(buildMetaContent(config)).toEqual({
      sensors: [
        {
          sensor: 'cave-co2-1',
          calibration: { date: '2025-11-03', by: 'Wang Jun', coefficients: { scale: 1250, offset: -12.5 } },
        },
      ],
    });
  });

  it('is published when it changed, with the time of the change, and not again when it did not', () => {
    const content = { sensors: [{ sensor: 'cave-co2-1', make: 'Vaisala' }] };
    const first = planMeta(content, undefined, 1000);
    expect(first).toMatchObject({ changed: true, time: 1000 });
    expect(planMeta(content, { hash: first.hash, time: 1000 }, 5000)).toEqual({
      changed: false,
      hash: first.hash,
      time: 1000,
    });
    const changed = { sensors: [{ sensor: 'cave-co2-1', make: 'Vaisala', model: 'GMP252' }] };
    expect(planMeta(changed, { hash: first.hash, time: 1000 }, 5000)).toMatchObject({
      changed: true,
      time: 5000,
    });
  });

  it('hashes the content, not the order its keys were written in', () => {
    const a = { station: { make: 'A', model: 'B' }, sensors: [] };
    const b = { sensors: [], station: { model: 'B', make: 'A' } };
    expect(metaHash(a)).toBe(metaHash(b));
  });
});

describe('prepareMeta', () => {
  const NOW = Date.UTC(2026, 11, 4, 12);
  const content = { gateway: { make: 'Raspberry Pi Ltd' }, sensors: [{ sensor: 'cave-co2-1' }] };

  it('gives the payload to publish, stamped with now, and what to remember once acknowledged', () => {
    const next = prepareMeta(content, undefined, NOW);
    expect(next).toMatchObject({ action: 'publish', published: { time: NOW } });
    if (next.action === 'publish') {
      expect(JSON.parse(next.payload)).toEqual({ v: 1, time: NOW, ...content });
      expect(prepareMeta(content, next.published, NOW + 60_000)).toEqual({ action: 'none' });
    }
  });

  it('waits for a set clock, and refuses what the ingest would refuse', () => {
    expect(prepareMeta(content, undefined, 5_000)).toMatchObject({ action: 'skip', code: 'CLOCK_UNSET' });
    const future = { sensors: [{ sensor: 's1', installed: '2027-01-01' }] };
    expect(prepareMeta(future, undefined, NOW)).toMatchObject({ action: 'skip', code: 'PAYLOAD_INVALID' });
    const sensors = Array.from({ length: 1000 }, (_, i) => ({
      sensor: `s-${i}`,
      description: 'x'.repeat(1500),
    }));
    expect(prepareMeta({ sensors }, undefined, NOW)).toMatchObject({
      action: 'skip',
      code: 'META_TOO_LARGE',
    });
  });
});
