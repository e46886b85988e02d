import { describe, expect, it } from 'vitest';
import { healthLines } from '../../../ingest/pipeline/health-lines.js';
import { type HealthInput, HealthSchema } from '../../../protocol/index.js';

const address = { station: 'jinfo', gateway: 'cave-gw-1' };
const health: HealthInput = {
  v: 1,
  time: 1764194400000,
  uptimeS: 3600,
  outbox: { pendingMessages: 3, diskBytes: 4096, droppedMessages: 2, droppedReadings: 17 },
  published: { messages: 120, readings: 960 },
  sensors: [
    { sensor: 'cave-co2-1', samples: 500, errors: 0 },
    { sensor: 'cave-temp-1', samples: 480, errors: 20, lastError: 'SENSOR_TIMEOUT: no "reply"\nafter 2 s' },
  ],
};

describe('healthLines', () => {
  it('writes one gateway_health point and one sensor_health point per sensor at the message time', () => {
    expect(healthLines(address, HealthSchema.parse(health))).toEqual([
      'gateway_health,gateway=cave-gw-1,station=jinfo uptime_s=3600,outbox_pending_messages=3i,outbox_disk_bytes=4096i,outbox_dropped_messages=2i,outbox_dropped_readings=17i,published_messages=120i,published_readings=960i 1764194400000',
      'sensor_health,gateway=cave-gw-1,sensor=cave-co2-1,station=jinfo samples=500i,errors=0i 1764194400000',
      'sensor_health,gateway=cave-gw-1,sensor=cave-temp-1,station=jinfo samples=480i,errors=20i,last_error="SENSOR_TIMEOUT: no \\"reply\\"\\nafter 2 s" 1764194400000',
    ]);
  });

  it('takes an RFC 3339 time as epoch ms and writes only gateway_health for a gateway without sensors', () => {
    const lines = healthLines(
      address,
      HealthSchema.parse({ ...health, time: '2025-11-26T22:00:00.5Z', uptimeS: 0.25, sensors: [] }),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gateway_health,.* uptime_s=0\.25,.* 1764194400500$/);
  });

  it('adds the clock state, source and measured offset when the gateway reports them', () => {
    const clock = { state: 'synced', source: 'gps', offsetMs: -12.5 } as const;
    const [line] = healthLines(address, HealthSchema.parse({ ...health, clock }));
    expect(line).toMatch(/,clock_state="synced",clock_source="gps",clock_offset_ms=-12\.5 1764194400000$/);
    const [unknown] = healthLines(address, HealthSchema.parse({ ...health, clock: { state: 'unknown' } }));
    expect(unknown).toMatch(/,clock_state="unknown" 1764194400000$/);
  });

  it('is deterministic, so a replayed message overwrites its own points', () => {
    const parsed = HealthSchema.parse(health);
    expect(healthLines(address, parsed)).toEqual(healthLines(address, structuredClone(parsed)));
  });
});
