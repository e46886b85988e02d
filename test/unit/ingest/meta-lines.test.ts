import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MessageIngestor } from '../../../ingest/pipeline/ingest-message.js';
import { metaLines } from '../../../ingest/pipeline/meta-lines.js';
import { SequenceTracker } from '../../../ingest/sequence/sequence-tracker.js';
import { MetaMessageSchema } from '../../../protocol/index.js';

const T0 = Date.UTC(2026, 11, 4, 12);
const ADDRESS = { station: 'jinfo', gateway: 'cave-gw-1' };
const META = MetaMessageSchema.parse({
  v: 1,
  time: T0,
  station: { position: { latitude: 29.0188, longitude: 107.1939 } },
  gateway: { make: 'Raspberry Pi Ltd', description: 'hut at the "cave" mouth,\nbeside the spring' },
  sensors: [
    {
      sensor: 'cave-co2-1',
      position: { latitude: 29.0194, longitude: 107.1952, elevation: 1688 },
      serial: 'S2630118',
      calibration: { date: '2025-11-03', coefficients: { scale: 1250, offset: -12.5 }, by: 'Wang Jun' },
    },
    { sensor: 'rain-1' },
  ],
});

describe('metaLines', () => {
  it('writes one metadata point per subject at the message time, every sensor listed', () => {
    expect(metaLines(ADDRESS, META)).toEqual([
      `metadata,gateway=cave-gw-1,station=jinfo,subject=station listed=t,latitude=29.0188,longitude=107.1939 ${T0}`,
      `metadata,gateway=cave-gw-1,station=jinfo,subject=gateway listed=t,make="Raspberry Pi Ltd",description="hut at the \\"cave\\" mouth,\\nbeside the spring" ${T0}`,
      `metadata,gateway=cave-gw-1,sensor=cave-co2-1,station=jinfo,subject=sensor listed=t,latitude=29.0194,longitude=107.1952,elevation_m=1688,serial="S2630118",calibration_date="2025-11-03",calibration_coefficients="{\\"scale\\":1250,\\"offset\\":-12.5}",calibration_by="Wang Jun" ${T0}`,
      `metadata,gateway=cave-gw-1,sensor=rain-1,station=jinfo,subject=sensor listed=t ${T0}`,
    ]);
  });
});

class RecordingSpool {
  readonly appends: string[] = [];
  async append(text: string): Promise<void> {
    this.appends.push(text);
  }
}

function setup() {
  const spool = new RecordingSpool();
  const ingestor = new MessageIngestor({
    spool,
    logger: pino({ level: 'silent' }),
    sequences: new SequenceTracker(),
    now: () => T0 + 1000,
  });
  return { spool, ingestor };
}

describe('MessageIngestor with meta messages', () => {
  const topic = 'fs/v1/jinfo/cave-gw-1/meta';

  it('takes a valid message into the spool in ns precision', async () => {
    const { spool, ingestor } = setup();
    await ingestor.ingest({ topic, payload: Buffer.from(JSON.stringify(META)), retained: true });
    expect(ingestor.counters).toMatchObject({ metaAccepted: 1, quarantined: {} });
    expect(spool.appends).toHaveLength(1);
    expect(spool.appends[0]?.split('\n').filter(Boolean)).toHaveLength(4);
    expect(spool.appends[0]).toContain(
      `subject=station listed=t,latitude=29.0188,longitude=107.1939 ${T0}000000\n`,
    );
  });

  it('quarantines an impossible position or a date after the message, saying which field', async () => {
    const { spool, ingestor } = setup();
    const impossible = {
      ...META,
      sensors: [{ sensor: 'rain-1', position: { latitude: 129, longitude: 0 } }],
    };
    await ingestor.ingest({ topic, payload: Buffer.from(JSON.stringify(impossible)), retained: false });
    const future = { ...META, sensors: [{ sensor: 'rain-1', installed: '2027-01-01' }] };
    await ingestor.ingest({ topic, payload: Buffer.from(JSON.stringify(future)), retained: false });
    expect(ingestor.counters).toMatchObject({ metaAccepted: 0, quarantined: { PAYLOAD_INVALID: 2 } });
    expect(spool.appends[0]).toMatch(
      /^quarantine,code=PAYLOAD_INVALID,station=jinfo .*reason="sensors\.0\.position\.latitude: must be between -90 and 90"/,
    );
    expect(spool.appends[1]).toContain(
      'reason="sensors.0.installed: 2027-01-01 is after the message\'s time"',
    );
  });
});
